import Engine
import Testing
import TUI

@Suite("view roles: meaning carried by role and symbol, not colour")
struct ViewRoleTests {
  /// CR4's value row at the default layout, and the column of bit `index`'s value.
  private let valueRow = 10
  private func column(_ index: Int) -> Int { 1 + (24 - index) * 3 + 2 }

  @Test("with SMEP pinned, the cursor on CR4.SMEP is in the alarm role and bracketed !1!")
  func gpHighlight() {
    let screen = Driver().screen(100, 30)
    let at = column(20)
    #expect(screen[valueRow, at].scalar == "1")
    for c in (at - 1)...(at + 1) { #expect(screen[valueRow, c].role == .cursorAlarm) }
    #expect(screen[valueRow, at - 1].scalar == "!")
    #expect(screen.line(valueRow + 1).contains("▲"))
  }

  @Test("once the host unpins SMEP the cursor is an ordinary [1]")
  func noAlarmWhenFree() {
    var d = Driver()
    d.press(.character("="))
    let screen = d.screen(100, 30)
    let at = column(20)
    #expect(screen[valueRow, at].role == .cursor)
    #expect(screen[valueRow, at - 1].scalar == "[")
    #expect(screen[valueRow + 1, at].scalar == "◦")
  }

  @Test("the log draws #GP in the alarm role")
  func logAlarm() {
    var d = Driver()
    d.press(.character(" "))
    let screen = d.screen(100, 30)
    let row = (0..<30).first { screen.line($0).contains("mov cr4, 0x260ef0") }
    #expect(row != nil)
    if let row {
      let scalars = Array(screen.line(row).unicodeScalars)
      let col = (0..<scalars.count - 2).first { scalars[$0] == "#" && scalars[$0 + 1] == "G" }
      #expect(col.map { screen[row, $0].role } == .alarm)
    }
  }

  @Test("a stopped VM shows STOPPED in the alarm role on the mode line")
  func stoppedModeLine() {
    let screen = SnapshotStates.stopped.screen(80, 24)
    #expect(screen.line(0).contains("STOPPED"))
    #expect(screen.cells.contains { $0.role == .alarm && $0.scalar == "S" })
  }

  @Test("the view takes no theme: monochrome draws the same text, and its theme keeps every state apart")
  func monochrome() {
    let states = [Driver().screen(80, 24), SnapshotStates.stopped.screen(80, 24)]
    let mono = Theme.monochrome
    // The roles that carry state must look different from plain text and from each other
    // where the symbols alone do not tell them apart (the cursor with and without #GP).
    let pairs: [(Role, Role)] = [
      (.normal, .cursor), (.cursor, .cursorAlarm), (.normal, .alarm), (.normal, .pinned),
      (.normal, .dim), (.bitSet, .bitClear),
    ]
    for (a, b) in pairs { #expect(mono[a] != mono[b], "\(a) vs \(b)") }
    // Every symbol that carries meaning is in the text itself.
    #expect(states[0].text.contains("▲"))
    #expect(states[0].text.contains("◦"))
    #expect(states[0].text.contains("!1!"))
    #expect(states[0].text.contains("·"))
    #expect(!mono.usesColor)
  }
}
