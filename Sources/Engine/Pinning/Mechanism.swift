/// The answers to "keep SMEP/SMAP/UMIP/WP on in a guest" that crpin can put side by side: every
/// registered pinning design (`DesignState.registered`, in its order), then `native` (the guest
/// kernel's own pinning only) and `none` (nothing at all).
public struct Mechanism: RawRepresentable, Hashable, Sendable, Codable, CaseIterable {
  /// Its place in `allCases` (a plain integer: options holding a mechanism copy for free).
  private let index: UInt8

  /// Every mechanism's name, in `allCases` order.
  private static let names: [String] = DesignState.registered.map { $0.name } + ["native", "none"]

  /// The name in the script language: `option mechanism NAME`.
  public var rawValue: String { Self.names[Int(index)] }

  /// The mechanism named `rawValue`, if there is one.
  public init?(rawValue: String) {
    guard let index = Self.names.firstIndex(of: rawValue) else { return nil }
    self.index = UInt8(index)
  }

  /// The mechanism of a design (a registered one: `DesignState.registered`).
  init(_ design: any PinningDesign.Type) { self.init(name: design.name) }

  private init(name: String) { index = UInt8(Self.names.firstIndex(of: name) ?? 0) }

  public static func == (a: Mechanism, b: Mechanism) -> Bool { a.index == b.index }
  public func hash(into hasher: inout Hasher) { hasher.combine(index) }

  /// Decodes a mechanism from its name.
  public init(from decoder: any Decoder) throws {
    let name = try decoder.singleValueContainer().decode(String.self)
    guard let mechanism = Mechanism(rawValue: name) else {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "unknown mechanism \(name)"))
    }
    self = mechanism
  }

  /// Encodes the mechanism's name.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }

  /// The guest kernel's own pinning only.
  public static let native = Mechanism(name: "native")
  /// Nothing at all: no hypervisor pins, native pinning off.
  public static let none = Mechanism(name: "none")

  /// Every mechanism: the registered designs, then `native` and `none`.
  public static let allCases: [Mechanism] = names.indices.map { Mechanism(index: UInt8($0)) }

  private init(index: UInt8) { self.index = index }

  /// The design's engine hooks; `nil` for `native` and `none`.
  var rules: (any PinRules.Type)? {
    Int(index) < DesignState.registered.count ? DesignState.registered[Int(index)] : nil
  }

  /// The design, `nil` for `native` and `none`.
  public var design: (any PinningDesign.Type)? { rules }

  /// One line on the design.
  public var summary: String {
    switch self {
    case .native: "Linux's own pinning in native_write_cr0/cr4 only"
    case .none: "no pinning at all"
    default: design?.summary ?? rawValue
    }
  }

  /// Where crpin's facts about the design come from.
  public var source: String {
    switch self {
    case .native: "Linux 5.3+ arch/x86/kernel/cpu/common.c (native_write_cr0/cr4)"
    case .none: "—"
    default: design?.source ?? "—"
    }
  }
}

/// What VTL1 does with a VTL0 write it intercepted.
public enum VTL1Policy: String, CaseIterable, Sendable, Codable {
  /// Skip the instruction: nothing changes, no fault (LVBS's first driver).
  case drop
  /// Inject #GP (a what-if: in neither source).
  case gp
  /// Let the write happen and log it (a what-if: in neither source).
  case allow
}

/// A value for CR0 and one for CR4.
public struct PinPair: Equatable, Hashable, Sendable, Codable {
  public var cr0: UInt64
  public var cr4: UInt64

  /// A pair with the given values (zero by default).
  public init(cr0: UInt64 = 0, cr4: UInt64 = 0) {
    self.cr0 = cr0
    self.cr4 = cr4
  }

  /// Both zero.
  public static let zero = PinPair()

  /// The value for one register.
  public subscript(register: PinnableRegister) -> UInt64 {
    get { register == .cr0 ? cr0 : cr4 }
    set {
      if register == .cr0 { cr0 = newValue } else { cr4 = newValue }
    }
  }

  /// Whether both are zero.
  public var isZero: Bool { cr0 == 0 && cr4 == 0 }
}
