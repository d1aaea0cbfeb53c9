/// The answers to "keep SMEP/SMAP/UMIP/WP on in a guest" that crpin can put side by side: every
/// registered pinning design (`DesignState.registered`, in its order), then `native` (the guest
/// kernel's own pinning only) and `none` (nothing at all).
public struct Mechanism: RawRepresentable, Hashable, Sendable, Codable, CaseIterable {
  /// The name in the script language: `option mechanism NAME`.
  public let rawValue: String

  /// The mechanism named `rawValue`, if there is one.
  public init?(rawValue: String) {
    guard Self.allCases.contains(where: { $0.rawValue == rawValue }) else { return nil }
    self.rawValue = rawValue
  }

  /// The mechanism of a design.
  init(_ design: any PinningDesign.Type) { rawValue = design.name }

  private init(name: String) { rawValue = name }

  /// The guest kernel's own pinning only.
  public static let native = Mechanism(name: "native")
  /// Nothing at all: no hypervisor pins, native pinning off.
  public static let none = Mechanism(name: "none")

  /// Every mechanism: the registered designs, then `native` and `none`.
  public static let allCases: [Mechanism] =
    DesignState.registered.map { Mechanism($0) } + [.native, .none]

  /// The design's engine hooks; `nil` for `native` and `none`.
  var rules: (any PinRules.Type)? { DesignState.registered.first { $0.name == rawValue } }

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
