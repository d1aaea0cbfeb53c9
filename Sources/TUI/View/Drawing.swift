/// A run of text in one role.
struct Run: Equatable, Sendable {
  var text: String
  var role: Role

  init(_ text: String, _ role: Role = .normal) {
    self.text = text
    self.role = role
  }
}

extension Screen {
  /// Draws a rounded box border around `rect` with `title` runs in the top edge and `footer`
  /// runs in the bottom edge; the inside is cleared.
  mutating func box(_ rect: Rect, title: [Run] = [], trailing: [Run] = [], footer: [Run] = []) {
    guard rect.width >= 2, rect.height >= 2 else { return }
    fill(row: rect.row, column: rect.column, width: rect.width, height: rect.height)
    horizontalEdge(row: rect.row, rect: rect, left: "╭", right: "╮")
    horizontalEdge(row: rect.bottom, rect: rect, left: "╰", right: "╯")
    for r in (rect.row + 1)..<rect.bottom {
      self[r, rect.column] = Cell("│", .border)
      self[r, rect.right] = Cell("│", .border)
    }
    edgeText(row: rect.row, rect: rect, leading: title, trailing: trailing)
    edgeText(row: rect.bottom, rect: rect, leading: footer, trailing: [])
  }

  /// A horizontal divider across a box at `row`, with `title` runs in it.
  mutating func divider(_ rect: Rect, row: Int, title: [Run] = [], trailing: [Run] = []) {
    horizontalEdge(row: row, rect: rect, left: "├", right: "┤")
    edgeText(row: row, rect: rect, leading: title, trailing: trailing)
  }

  private mutating func horizontalEdge(row: Int, rect: Rect, left: Unicode.Scalar, right: Unicode.Scalar) {
    self[row, rect.column] = Cell(left, .border)
    for c in (rect.column + 1)..<rect.right { self[row, c] = Cell("─", .border) }
    self[row, rect.right] = Cell(right, .border)
  }

  /// Leading runs after `╭ `, trailing runs right-aligned before ` ╮`, each padded by spaces;
  /// trailing runs are dropped when both do not fit.
  private mutating func edgeText(row: Int, rect: Rect, leading: [Run], trailing: [Run]) {
    let limit = rect.right - 1
    var column = rect.column + 1
    if !leading.isEmpty {
      column = put(runs: [Run(" ")] + leading + [Run(" ")], row: row, column: column, limit: limit)
    }
    guard !trailing.isEmpty else { return }
    let length = trailing.reduce(0) { $0 + $1.text.unicodeScalars.count } + 2
    let start = rect.right - length
    guard start > column else { return }
    put(runs: [Run(" ")] + trailing + [Run(" ")], row: row, column: start, limit: limit)
  }

  /// Writes runs from (`row`, `column`), stopping before `limit` (inclusive last column);
  /// returns the column after the last written.
  @discardableResult
  mutating func put(runs: [Run], row: Int, column: Int, limit: Int? = nil) -> Int {
    let last = limit ?? (width - 1)
    var col = column
    for run in runs {
      for scalar in run.text.unicodeScalars {
        guard col <= last else { return col }
        self[row, col] = Cell(scalar, run.role)
        col += 1
      }
    }
    return col
  }

  /// Writes `text` clipped to `width` columns, with `…` when cut.
  @discardableResult
  mutating func put(clipped text: String, row: Int, column: Int, width: Int, role: Role = .normal) -> Int {
    put(runs: [Run(text.clipped(to: width), role)], row: row, column: column)
  }
}

extension String {
  /// The number of columns the text takes (one per scalar: crpin draws only narrow characters).
  var columns: Int { unicodeScalars.count }

  /// The text cut to `width` columns, ending in `…` when cut.
  func clipped(to width: Int) -> String {
    guard columns > width else { return self }
    guard width > 0 else { return "" }
    return String(String.UnicodeScalarView(unicodeScalars.prefix(width - 1))) + "…"
  }

  /// The text padded with spaces to `width` columns (never cut).
  func padded(to width: Int) -> String {
    self + String(repeating: " ", count: max(0, width - columns))
  }
}
