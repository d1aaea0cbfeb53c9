/// A CPUID feature that gates a CR4 bit in KVM 5.8 (or, for VMX and PCID, a later check).
public enum CPUFeature: String, CaseIterable, Sendable, Codable, Comparable {
  case umip, la57, vmx, fsgsbase, pcid, xsave, smep, smap, pku

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
    }
  }

  public static func < (a: CPUFeature, b: CPUFeature) -> Bool { a.rawValue < b.rawValue }
}

/// The guest's CPU as the VMM describes it through CPUID.
///
/// The default has every optional CR4 feature that KVM 5.8 knows (UMIP, LA57, VMX with nested
/// allowed, FSGSBASE, PCID, XSAVE, SMEP, SMAP, PKU), long mode and NX, and a 46-bit physical
/// address width (MAXPHYADDR), as on a recent Intel server passed through with `-cpu host`.
public struct CPUModel: Equatable, Hashable, Sendable, Codable {
  /// The optional features present.
  public var features: Set<CPUFeature>
  /// MAXPHYADDR: CR3 bits from here to 63 are reserved in long mode.
  public var physicalAddressBits: Int

  /// A CPU model with the given features.
  public init(features: Set<CPUFeature> = Set(CPUFeature.allCases), physicalAddressBits: Int = 46) {
    self.features = features
    self.physicalAddressBits = physicalAddressBits
  }

  /// The default model: every feature.
  public static let `default` = CPUModel()

  /// Whether the feature is present.
  public func has(_ feature: CPUFeature) -> Bool { features.contains(feature) }

  /// CR4 bits that are reserved for this guest in KVM 5.8's `kvm_valid_cr4`: bits KVM does not
  /// know, and OSXSAVE, SMEP, SMAP, FSGSBASE, PKE, LA57 and UMIP when the feature is missing.
  public var reservedCR4: UInt64 {
    var reserved = ~CR4.knownToKVM
    for bit in BitCatalog.cr4 where bit.gatedInValidCR4 {
      if let feature = bit.feature, !has(feature) { reserved |= bit.mask }
    }
    return reserved
  }

  /// CR3 bits reserved in long mode: MAXPHYADDR to 63.
  public var reservedCR3InLongMode: UInt64 {
    physicalAddressBits >= 64 ? 0 : ~((UInt64(1) << UInt64(physicalAddressBits)) - 1)
  }
}
