import Engine

/// Where the cursor is: one named bit of CR0 or CR4.
public struct BitCursor: Equatable, Hashable, Sendable {
  /// CR0 or CR4.
  public var register: PinnableRegister
  /// The bit number.
  public var index: Int

  /// A cursor on bit `index` of `register`.
  public init(_ register: PinnableRegister, _ index: Int) {
    self.register = register
    self.index = index
  }

  /// The bit's catalogue entry, if the bit has a name (the cursor only rests on named bits).
  public var bit: BitInfo? { BitCatalog.bit(register, index: index) }

  /// The bit as a mask.
  public var mask: UInt64 { UInt64(1) << UInt64(index) }

  /// Where the TUI starts: CR4.SMEP, the bit the patch exists for.
  public static let initial = BitCursor(.cr4, 20)
}

extension BitCursor {
  /// The named bits of `register`, in screen order: high bit first.
  static func screenOrder(_ register: PinnableRegister) -> [Int] {
    register.bits.map(\.index).sorted(by: >)
  }

  /// The cursor moved `step` named bits to the right (positive) or left (negative), stopping
  /// at the ends.
  func moved(by step: Int) -> BitCursor {
    let order = Self.screenOrder(register)
    guard let position = order.firstIndex(of: index) else { return self }
    let target = min(max(position + step, 0), order.count - 1)
    return BitCursor(register, order[target])
  }

  /// The cursor on the first (`true`) or last named bit of the row.
  func atEnd(first: Bool) -> BitCursor {
    let order = Self.screenOrder(register)
    return BitCursor(register, (first ? order.first : order.last) ?? index)
  }

  /// The cursor in the other register, on the bit drawn nearest to this one's column.
  func switchedRegister(columnOf: (BitCursor) -> Int?) -> BitCursor {
    let other: PinnableRegister = register == .cr0 ? .cr4 : .cr0
    let here = columnOf(self) ?? 0
    let candidates = Self.screenOrder(other).map { BitCursor(other, $0) }
    let best = candidates.min { a, b in
      abs((columnOf(a) ?? 0) - here) < abs((columnOf(b) ?? 0) - here)
    }
    return best ?? BitCursor(other, other == .cr4 ? 20 : 16)
  }
}
