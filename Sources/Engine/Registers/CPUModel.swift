/// A CPUID feature that gates a CR4 bit in KVM 5.8 (or, for VMX and PCID, a later check), and
/// the two later KVM versions gate: CET (SHSTK or IBT, KVM 6.18) and LAM (KVM 6.8), absent from
/// the default model (`__cr4_reserved_bits`, docs/versions.md).
public enum CPUFeature: String, CaseIterable, Sendable, Codable, Comparable {
  case umip, la57, vmx, fsgsbase, pcid, xsave, smep, smap, pku, cet, lam

  /// The feature's name as CPUID tables print it.
  public var displayName: String {
    switch self {
    case .umip: "UMIP"
    case .la57: "LA57"
    case .vmx: "VMX"
    case .fsgsbase: "FSGSBASE"
    case .pcid: "PCID"
    case .xsave: "XSAVE"
    case .smep: "SMEP"
    case .smap: "SMAP"
    case .pku: "PKU"
    case .cet: "CET"
    case .lam: "LAM"
    }
  }

  public static func < (a: CPUFeature, b: CPUFeature) -> Bool { a.rawValue < b.rawValue }
}

/// A set of CPUID features, as a bit mask (cheap to copy and to test on every CR4 write).
public struct CPUFeatureSet: OptionSet, Hashable, Sendable, Codable {
  public let rawValue: UInt16
  public init(rawValue: UInt16) { self.rawValue = rawValue }

  /// The set holding one feature.
  public init(_ feature: CPUFeature) {
    self =
      switch feature {
      case .umip: .umip
      case .la57: .la57
      case .vmx: .vmx
      case .fsgsbase: .fsgsbase
      case .pcid: .pcid
      case .xsave: .xsave
      case .smep: .smep
      case .smap: .smap
      case .pku: .pku
      case .cet: .cet
      case .lam: .lam
      }
  }

  // Literal bits in `CPUFeature.allCases` order (a test checks them), so that testing a
  // feature on the hot path costs no lazy initialisation.
  public static let umip = CPUFeatureSet(rawValue: 1 << 0)
  public static let la57 = CPUFeatureSet(rawValue: 1 << 1)
  public static let vmx = CPUFeatureSet(rawValue: 1 << 2)
  public static let fsgsbase = CPUFeatureSet(rawValue: 1 << 3)
  public static let pcid = CPUFeatureSet(rawValue: 1 << 4)
  public static let xsave = CPUFeatureSet(rawValue: 1 << 5)
  public static let smep = CPUFeatureSet(rawValue: 1 << 6)
  public static let smap = CPUFeatureSet(rawValue: 1 << 7)
  public static let pku = CPUFeatureSet(rawValue: 1 << 8)
  /// CET: shadow stacks or indirect-branch tracking (CPUID SHSTK/IBT); CR4.CET from KVM 6.18.
  public static let cet = CPUFeatureSet(rawValue: 1 << 9)
  /// LAM (linear-address masking); CR4.LAM_SUP from KVM 6.8.
  public static let lam = CPUFeatureSet(rawValue: 1 << 10)
  /// Every optional feature KVM 5.8 knows (not CET or LAM: the default model has neither).
  public static let all = CPUFeatureSet(rawValue: 0x1ff)
}

/// The guest's CPU as the VMM describes it through CPUID.
///
/// The default has every optional CR4 feature that KVM 5.8 knows (UMIP, LA57, VMX with nested
/// allowed, FSGSBASE, PCID, XSAVE, SMEP, SMAP, PKU), long mode and NX, and a 46-bit physical
/// address width (MAXPHYADDR), as on a recent Intel server passed through with `-cpu host`.
public struct CPUModel: Equatable, Hashable, Sendable, Codable {
  /// MAXPHYADDR: CR3 bits from here to 63 are reserved in long mode.
  public var physicalAddressBits: Int
  /// CR4 bits that are reserved for this guest in KVM 5.8's `kvm_valid_cr4`: bits KVM does not
  /// know, and OSXSAVE, SMEP, SMAP, FSGSBASE, PKE, LA57 and UMIP when the feature is missing.
  /// Kept up to date with `features`: every CR4 write reads it.
  public private(set) var reservedCR4: UInt64
  /// The CR4 bits reserved because their CPUID feature is missing (`__cr4_reserved_bits`):
  /// OSXSAVE, SMEP, SMAP, FSGSBASE, PKE, LA57, UMIP as in 5.8, and CET (without CET) and
  /// LAM_SUP (without LAM) for the KVM versions that know them. Kept up to date with `features`.
  public private(set) var featureGatedCR4: UInt64
  /// The optional features present. Declared last, so that `VMOptions` lays its next fields in
  /// this model's tail (see `VMOptions.refusedCR4`).
  public var features: CPUFeatureSet {
    didSet {
      reservedCR4 = Self.reservedCR4(features)
      featureGatedCR4 = Self.featureGatedCR4(features)
    }
  }

  /// A CPU model with the given features.
  public init(features: CPUFeatureSet = .all, physicalAddressBits: Int = 46) {
    self.features = features
    self.physicalAddressBits = physicalAddressBits
    reservedCR4 = Self.reservedCR4(features)
    featureGatedCR4 = Self.featureGatedCR4(features)
  }

  private enum CodingKeys: String, CodingKey {
    case features, physicalAddressBits
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      features: try container.decode(CPUFeatureSet.self, forKey: .features),
      physicalAddressBits: try container.decode(Int.self, forKey: .physicalAddressBits))
  }

  /// The default model: every feature.
  public static let `default` = CPUModel()

  /// Whether the feature is present.
  public func has(_ feature: CPUFeature) -> Bool { features.contains(CPUFeatureSet(feature)) }

  private static func reservedCR4(_ features: CPUFeatureSet) -> UInt64 {
    ~CR4.knownToKVM | (featureGatedCR4(features) & CR4.knownToKVM)
  }

  private static func featureGatedCR4(_ features: CPUFeatureSet) -> UInt64 {
    var reserved: UInt64 = 0
    if !features.contains(.cet) { reserved |= CR4.cet }
    if !features.contains(.lam) { reserved |= CR4.lamSup }
    if !features.contains(.xsave) { reserved |= CR4.osxsave }
    if !features.contains(.smep) { reserved |= CR4.smep }
    if !features.contains(.smap) { reserved |= CR4.smap }
    if !features.contains(.fsgsbase) { reserved |= CR4.fsgsbase }
    if !features.contains(.pku) { reserved |= CR4.pke }
    if !features.contains(.la57) { reserved |= CR4.la57 }
    if !features.contains(.umip) { reserved |= CR4.umip }
    return reserved
  }

  /// CR3 bits reserved in long mode: MAXPHYADDR to 63.
  public var reservedCR3InLongMode: UInt64 {
    physicalAddressBits >= 64 ? 0 : ~((UInt64(1) << UInt64(physicalAddressBits)) - 1)
  }
}
