/// The registers a guest can write and crpin models: CR0, CR3, CR4 and the EFER MSR.
public enum RegisterName: String, CaseIterable, Sendable, Codable {
  case cr0, cr3, cr4, efer

  /// The name as a trainee reads it: `CR0`, `EFER` (literals: sentences built in a run's
  /// hot path name registers).
  public var displayName: String {
    switch self {
    case .cr0: "CR0"
    case .cr3: "CR3"
    case .cr4: "CR4"
    case .efer: "EFER"
    }
  }
}

/// A control register that a `MOV to CR` instruction targets.
public enum ControlRegister: String, CaseIterable, Sendable, Codable {
  case cr0, cr3, cr4

  /// The same register as a `RegisterName`.
  public var register: RegisterName {
    switch self {
    case .cr0: .cr0
    case .cr3: .cr3
    case .cr4: .cr4
    }
  }

  /// `CR0`, `CR3`, `CR4`.
  public var displayName: String { register.displayName }
}

/// A control register that can have pinned bits: CR0 or CR4.
public enum PinnableRegister: String, CaseIterable, Sendable, Codable {
  case cr0, cr4

  /// The same register as a `ControlRegister`.
  public var controlRegister: ControlRegister { self == .cr0 ? .cr0 : .cr4 }

  /// `CR0` or `CR4`.
  public var displayName: String { controlRegister.displayName }

  /// The bit catalogue of this register.
  public var bits: [BitInfo] { self == .cr0 ? BitCatalog.cr0 : BitCatalog.cr4 }
}

/// The four registers of one vCPU (or of the SMRAM state-save image).
public struct Registers: Equatable, Hashable, Sendable, Codable {
  public var cr0: UInt64
  public var cr3: UInt64
  public var cr4: UInt64
  public var efer: UInt64

  /// Registers with the given values.
  public init(cr0: UInt64, cr3: UInt64, cr4: UInt64, efer: UInt64) {
    self.cr0 = cr0
    self.cr3 = cr3
    self.cr4 = cr4
    self.efer = efer
  }

  /// The architectural values after RESET or INIT: CR0 = 0x60000010 (CD, NW, ET), the rest 0.
  public static let reset = Registers(cr0: 0x6000_0010, cr3: 0, cr4: 0, efer: 0)

  /// Reads or writes one register by name.
  public subscript(name: RegisterName) -> UInt64 {
    get {
      switch name {
      case .cr0: cr0
      case .cr3: cr3
      case .cr4: cr4
      case .efer: efer
      }
    }
    set {
      switch name {
      case .cr0: cr0 = newValue
      case .cr3: cr3 = newValue
      case .cr4: cr4 = newValue
      case .efer: efer = newValue
      }
    }
  }

  /// Whether paging is on (CR0.PG).
  public var paging: Bool { cr0 & CR0.pg != 0 }
  /// Whether long mode is active (EFER.LMA).
  public var longMode: Bool { efer & EFERBits.lma != 0 }
}
