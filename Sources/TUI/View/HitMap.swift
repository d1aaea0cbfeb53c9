/// Which screen cells stand for which bit, recorded while the view draws, so a click can be
/// turned into a bit.
public struct HitMap: Equatable, Sendable {
  private var cells: [Int: BitCursor] = [:]
  private var width = 0

  /// An empty map for a screen `width` columns wide.
  init(width: Int) { self.width = width }

  /// Records that the cell at (`row`, `column`) stands for `bit`.
  mutating func mark(row: Int, column: Int, bit: BitCursor) {
    guard column >= 0, column < width, row >= 0 else { return }
    cells[row * width + column] = bit
  }

  /// The bit drawn at (`row`, `column`), if any.
  public func bit(row: Int, column: Int) -> BitCursor? {
    guard column >= 0, column < width, row >= 0 else { return nil }
    return cells[row * width + column]
  }
}

/// A drawn screen and the hit map that goes with it.
public struct Frame: Sendable {
  /// The cells.
  public var screen: Screen
  /// Where the bits are.
  public var hitMap: HitMap
}
