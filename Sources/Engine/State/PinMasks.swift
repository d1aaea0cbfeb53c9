/// The four masks of the paravirtual pinning patch for one vCPU (`cr0_pinned`, `cr4_pinned`).
public struct PinMasks: Equatable, Hashable, Sendable, Codable {
  /// CR0 bits pinned to 0.
  public var cr0Low: UInt64 = 0
  /// CR0 bits pinned to 1.
  public var cr0High: UInt64 = 0
  /// CR4 bits pinned to 0.
  public var cr4Low: UInt64 = 0
  /// CR4 bits pinned to 1.
  public var cr4High: UInt64 = 0

  /// Masks with the given values (all zero by default: nothing pinned).
  public init(cr0Low: UInt64 = 0, cr0High: UInt64 = 0, cr4Low: UInt64 = 0, cr4High: UInt64 = 0) {
    self.cr0Low = cr0Low
    self.cr0High = cr0High
    self.cr4Low = cr4Low
    self.cr4High = cr4High
  }

  /// No pins.
  public static let none = PinMasks()

  /// Bits of `register` pinned to 1.
  public func high(_ register: PinnableRegister) -> UInt64 { register == .cr0 ? cr0High : cr4High }
  /// Bits of `register` pinned to 0.
  public func low(_ register: PinnableRegister) -> UInt64 { register == .cr0 ? cr0Low : cr4Low }

  /// Whether any bit is pinned.
  public var isEmpty: Bool { self == .none }
}

/// Which way a bit is pinned.
public enum PinState: String, Sendable {
  case free, high, low
}

extension PinMasks {
  /// The pin state of one bit.
  public func state(of bit: BitInfo) -> PinState {
    if high(bit.register) & bit.mask != 0 { return .high }
    if low(bit.register) & bit.mask != 0 { return .low }
    return .free
  }
}
