import Engine
import Script
import Testing

@testable import TUI

/// The compare pane colours by what the defence did — held or lost — not by the CPU's outcome,
/// and says it in a marker as well as a colour.
@Suite("compare pane: held and lost")
struct CompareDefenceTests {
  /// The compare pane over compare-rop with every step run.
  private func playedCompareROP() -> Driver {
    var d = Driver()
    d.effects += d.state.startScenario(id: "compare-rop") ?? []
    for _ in 0..<10 { d.press(.character("n")) }
    d.press(.character("c"))
    return d
  }

  /// The row of `screen` whose text contains `step`, and the roles and text of its cells.
  private func row(_ screen: Screen, _ step: String) -> Int? {
    (0..<screen.height).first { screen.line($0).contains(step) }
  }

  /// The role of the first cell of `text` on `row` at or after column `from`.
  private func role(_ screen: Screen, row: Int, of text: String, from: Int = 0) -> Role? {
    let scalars = Array(screen.line(row).unicodeScalars)
    let needle = Array(text.unicodeScalars)
    guard scalars.count >= needle.count else { return nil }
    for column in from...(scalars.count - needle.count)
    where Array(scalars[column..<(column + needle.count)]) == needle {
      return screen[row, column].role
    }
    return nil
  }

  @Test("the raw mov clearing SMEP: #GP and dropped held, ok under native and none lost")
  func rawMov() throws {
    let screen = playedCompareROP().screen(100, 30)
    let r = try #require(row(screen, "mov cr4, cr4 & ~SMEP"))
    let line = screen.line(r)
    #expect(line.contains("+ #GP"))
    #expect(line.contains("+ dropp"), "seven columns: the cell is cut to its width")
    #expect(line.contains("! ok"))
    #expect(role(screen, row: r, of: "+ #GP") == .held)
    #expect(role(screen, row: r, of: "! ok") == .lost)
  }

  @Test("restored by native pinning and forced back on VM-exit are held; the payload running is lost")
  func undoneAndPayload() throws {
    let screen = playedCompareROP().screen(170, 40)
    let kernel = try #require(row(screen, "kernel write cr4, cr4 & ~SMEP"))
    #expect(role(screen, row: kernel, of: "+ restored+warned") == .held)
    let exec = try #require(row(screen, "exec user"))
    #expect(role(screen, row: exec, of: "+ #PF") == .held)
    #expect(role(screen, row: exec, of: "! ok") == .lost)
    let exit = try #require(row(screen, "vmexit"))
    #expect(role(screen, row: exit, of: "+ ok, forced") == .held)
    let rsm = try #require(row(screen, "rsm"))
    #expect(role(screen, row: rsm, of: "+ ok, rewritten") == .held)
    #expect(role(screen, row: rsm, of: "! ok") == .lost)
  }

  @Test("steps that attack nothing (the VMM's own writes, vmentry) are plain, whatever the outcome")
  func neutral() throws {
    let screen = playedCompareROP().screen(100, 30)
    let sregs = try #require(row(screen, "host sregs cr4=cr4 | S"))
    #expect(!screen.line(sregs).contains("+ ") && !screen.line(sregs).contains("! "))
    #expect(role(screen, row: sregs, of: " ok", from: 30) == .normal)
  }

  @Test("the pane has a legend in words, whole at 80 and 120 columns")
  func legend() {
    let narrow = playedCompareROP().screen(80, 24).text
    #expect(narrow.contains("+ held: attack stopped  ! lost: attack worked  plain: no attack"))
    let wide = playedCompareROP().screen(120, 30).text
    #expect(
      wide.contains("+ held: the attack was stopped (#GP, dropped, put back)  ! lost: the attack worked"))
    #expect(wide.contains("plain: no attack"))
  }

  @Test("the toggle preview: clearing SMEP is an attack (held where pinned), setting PCE is not")
  func previews() throws {
    var d = Driver()
    d.press(.character("c"))
    let columns = try #require(d.state.comparison)
    let smep = columns.previews(BitCursor(.cr4, 20), vcpu: 0)
    let byMechanism = Dictionary(uniqueKeysWithValues: smep.map { ($0.mechanism, $0) })
    #expect(byMechanism[.kvm2020]?.mov.defence == .held)
    #expect(byMechanism[.kvm2020]?.hold == .pinnedHigh)
    #expect(byMechanism[Mechanism.none]?.mov.defence == .lost)
    #expect(byMechanism[.native]?.kernelWrite.defence == .held)
    #expect(byMechanism[.native]?.kernelWrite.cell == .restored(bits: CR4.smep))
    #expect(byMechanism[.native]?.kernelWrite.cell.text == "restored+warned")
    #expect(byMechanism[.native]?.mov.defence == .lost)
    // PCE (bit 8) is clear after boot: toggling sets it, which attacks nothing.
    for preview in columns.previews(BitCursor(.cr4, 8), vcpu: 0) {
      #expect(preview.mov.defence == .neutral, "\(preview.mechanism)")
    }
  }
}

@Suite("the #GP's rule reads from the back of the room")
struct RuleRoleTests {
  @Test(
    "after toggling pinned SMEP the log's rule line and the detail pane's rule are in the rule role, not dim")
  func ruleRole() throws {
    var d = Driver()
    d.press(.character(" "))
    let screen = d.screen(100, 30)
    let r = try #require((0..<30).last { screen.line($0).contains("pin.cr4.high:") })
    let column = try #require(Array(screen.line(r).unicodeScalars).firstIndex(of: "p"))
    // The newest fault's rule is drawn as an alarm (the presenter's #GP moment), older ones in
    // the rule role: never dim.
    #expect(screen[r, column].role == .alarm)
    #expect(screen[r, column + 14].role == .alarm)
    d.press(.character(" "))
    let later = d.screen(100, 30)
    let rows = (0..<30).filter { later.line($0).contains("pin.cr4.high:") }
    let older = try #require(rows.dropLast().last)
    let olderColumn = try #require(Array(later.line(older).unicodeScalars).firstIndex(of: "p"))
    #expect(later[older, olderColumn].role == .rule)
    let detail = Driver().screen(100, 30)
    let d2 = try #require((0..<30).first { detail.line($0).contains("· pin.cr4.high:") })
    let message = try #require(detail.line(d2).range(of: "CR4.SMEP"))
    let offset = detail.line(d2).unicodeScalars.distance(
      from: detail.line(d2).unicodeScalars.startIndex, to: message.lowerBound)
    #expect(detail[d2, offset].role == .rule)
  }
}
