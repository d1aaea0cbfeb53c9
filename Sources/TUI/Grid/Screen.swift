/// An in-memory grid of cells that a view fills and a backend copies to the terminal.
///
/// Rows are numbered from 0 at the top, columns from 0 at the left. Writes outside the grid
/// are clipped silently, so a view never has to guard against a small terminal.
public struct Screen: Equatable, Sendable {
  /// Columns.
  public let width: Int
  /// Rows.
  public let height: Int
  /// Row-major cells, `width * height` of them.
  public private(set) var cells: [Cell]

  /// A blank grid of the given size (negative sizes count as zero).
  public init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: .blank, count: self.width * self.height)
  }

  /// The cell at (`row`, `column`), or a blank cell outside the grid.
  public subscript(row: Int, column: Int) -> Cell {
    get {
      guard contains(row: row, column: column) else { return .blank }
      return cells[row * width + column]
    }
    set {
      guard contains(row: row, column: column) else { return }
      cells[row * width + column] = newValue
    }
  }

  /// Whether (`row`, `column`) lies inside the grid.
  public func contains(row: Int, column: Int) -> Bool {
    row >= 0 && row < height && column >= 0 && column < width
  }

  /// Writes `text` from (`row`, `column`) rightwards in `role`, clipped at the right edge;
  /// returns the column after the last scalar written (or that would have been).
  @discardableResult
  public mutating func put(_ text: String, row: Int, column: Int, role: Role = .normal) -> Int {
    var col = column
    for scalar in text.unicodeScalars {
      self[row, col] = Cell(scalar, role)
      col += 1
    }
    return col
  }

  /// Fills a rectangle with `cell`.
  public mutating func fill(
    row: Int, column: Int, width w: Int, height h: Int, with cell: Cell = .blank
  ) {
    guard w > 0, h > 0 else { return }
    for r in row..<(row + h) {
      for c in column..<(column + w) { self[r, c] = cell }
    }
  }

  /// The text of row `row`, trailing spaces kept.
  public func line(_ row: Int) -> String {
    guard row >= 0, row < height else { return "" }
    var s = String.UnicodeScalarView()
    for c in 0..<width { s.append(cells[row * width + c].scalar) }
    return String(s)
  }

  /// The whole grid as text, one line per row with trailing spaces trimmed: the form golden
  /// tests compare against.
  public var text: String {
    (0..<height).map { line($0).trimmingTrailingSpaces() }.joined(separator: "\n")
  }
}

extension String {
  /// The string without trailing space characters.
  func trimmingTrailingSpaces() -> String {
    var scalars = Substring(self)
    while scalars.last == " " { scalars = scalars.dropLast() }
    return String(scalars)
  }
}
