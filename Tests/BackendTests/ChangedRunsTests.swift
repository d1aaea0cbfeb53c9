import TUI
import Testing

@testable import CursesBackend

@Suite("Changed runs")
struct ChangedRunsTests {
  private func grid(_ lines: [String]) -> Screen {
    var screen = Screen(width: lines.map(\.unicodeScalars.count).max() ?? 0, height: lines.count)
    for (row, line) in lines.enumerated() { screen.put(line, row: row, column: 0) }
    return screen
  }

  private func text(_ run: CellRun) -> String {
    var scalars = String.UnicodeScalarView()
    for cell in run.cells { scalars.append(cell.scalar) }
    return String(scalars)
  }

  @Test("Without an old grid every row is written whole")
  func firstFrame() {
    let runs = changedRuns(from: nil, to: grid(["ab", "cd"]))
    #expect(runs.map(\.row) == [0, 1])
    #expect(runs.map(\.column) == [0, 0])
    #expect(runs.map(text) == ["ab", "cd"])
  }

  @Test("A different size rewrites everything")
  func resize() {
    let runs = changedRuns(from: grid(["ab"]), to: grid(["ab", "cd"]))
    #expect(runs.map(text) == ["ab", "cd"])
    #expect(changedRuns(from: grid(["abc"]), to: grid(["ab"])).map(text) == ["ab"])
  }

  @Test("An identical grid writes nothing")
  func unchanged() {
    #expect(changedRuns(from: grid(["abc", "def"]), to: grid(["abc", "def"])).isEmpty)
  }

  @Test("Only changed stretches are written, one run per stretch")
  func stretches() {
    let runs = changedRuns(from: grid(["abcdef", "ghijkl"]), to: grid(["aXYdeZ", "ghijkl"]))
    #expect(runs.count == 2)
    #expect(runs.map(\.row) == [0, 0])
    #expect(runs.map(\.column) == [1, 5])
    #expect(runs.map(text) == ["XY", "Z"])
  }

  @Test("A role change alone counts as a change")
  func roleChange() {
    let old = grid(["abc"])
    var new = old
    new[0, 2] = Cell("c", .alarm)
    let runs = changedRuns(from: old, to: new)
    #expect(runs == [CellRun(row: 0, column: 2, cells: [Cell("c", .alarm)][...])])
  }

  @Test("An empty grid has no runs")
  func empty() {
    #expect(changedRuns(from: nil, to: Screen(width: 0, height: 5)).isEmpty)
  }
}
