/// Which screen cells stand for which bit, recorded while the view draws, so a click can be
/// turned into a bit.
public struct HitMap: Equatable, Sendable {
  /// A byte a cell, row after row, grown as rows are marked: 0 for no bit, else 1 + the bit
  /// number for CR0 and 65 + the bit number for CR4. (A frame marks some 900 cells; a byte
  /// array costs a fraction of a dictionary's hashing and growth.)
  private var cells: [UInt8] = []
  private var width = 0

  /// An empty map for a screen `width` columns wide.
  init(width: Int) { self.width = max(width, 0) }

  /// Records that the cell at (`row`, `column`) stands for `bit`.
  mutating func mark(row: Int, column: Int, bit: BitCursor) {
    guard column >= 0, column < width, row >= 0, (0..<64).contains(bit.index) else { return }
    let cell = row * width + column
    if cell >= cells.count { cells.append(contentsOf: repeatElement(0, count: cell + 1 - cells.count)) }
    cells[cell] = UInt8((bit.register == .cr0 ? 1 : 65) + bit.index)
  }

  /// The bit drawn at (`row`, `column`), if any.
  public func bit(row: Int, column: Int) -> BitCursor? {
    guard column >= 0, column < width, row >= 0 else { return nil }
    let cell = row * width + column
    guard cell < cells.count, cells[cell] != 0 else { return nil }
    let code = Int(cells[cell])
    return code <= 64 ? BitCursor(.cr0, code - 1) : BitCursor(.cr4, code - 65)
  }
}

/// A drawn screen and the hit map that goes with it.
public struct Frame: Sendable {
  /// The cells.
  public var screen: Screen
  /// Where the bits are.
  public var hitMap: HitMap
}
