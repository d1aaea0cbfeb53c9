import TUI

/// A horizontal stretch of cells in one row that must be written to the terminal.
struct CellRun: Equatable {
  /// The row of the run.
  var row: Int
  /// The column of the run's first cell.
  var column: Int
  /// The cells, left to right.
  var cells: ArraySlice<Cell>
}

/// The runs of cells in `new` that differ from `old`, row by row, left to right.
///
/// Without an old grid, or when the sizes differ, every row is one run: the whole grid is
/// written.
func changedRuns(from old: Screen?, to new: Screen) -> [CellRun] {
  let width = new.width
  guard width > 0 else { return [] }
  guard let old, old.width == new.width, old.height == new.height else {
    return (0..<new.height).map { row in
      CellRun(row: row, column: 0, cells: new.cells[(row * width)..<((row + 1) * width)])
    }
  }
  var runs: [CellRun] = []
  for row in 0..<new.height {
    let rowStart = row * width
    var column = 0
    while column < width {
      guard old.cells[rowStart + column] != new.cells[rowStart + column] else {
        column += 1
        continue
      }
      let start = column
      while column < width, old.cells[rowStart + column] != new.cells[rowStart + column] {
        column += 1
      }
      runs.append(
        CellRun(
          row: row, column: start, cells: new.cells[(rowStart + start)..<(rowStart + column)]))
    }
  }
  return runs
}
