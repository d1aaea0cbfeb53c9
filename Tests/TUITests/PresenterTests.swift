import Engine
import Script
import Testing
import TUI

/// The presenter layout (issue 12): when it switches on, what it shows, the narration's
/// scroll, the outcome's emphasis, the cursor following the step, and the log.
@Suite("presenter layout")
struct PresenterTests {
  /// A driver at `width` x `height` playing `id` after `steps` presses of `n`.
  static func playing(_ id: String, steps: Int = 0, width: Int = 80, height: Int = 24) -> Driver {
    var d = Driver(AppState(size: TerminalSize(width: width, height: height)))
    d.effects += d.state.startScenario(id: id) ?? []
    for _ in 0..<steps { d.press(.character("n")) }
    return d
  }

  static func text(_ screen: Screen) -> String {
    (0..<screen.height).map { screen.line($0) }.joined(separator: "\n")
  }

  @Test("on by itself below 110x32 while a scenario plays, or with --present; never without one")
  func switchesOn() {
    var d = Self.playing("lesson-smep")
    #expect(d.state.usesPresenterLayout(width: 80, height: 24))
    #expect(d.state.usesPresenterLayout(width: 100, height: 30))
    #expect(d.state.usesPresenterLayout(width: 109, height: 40))
    #expect(!d.state.usesPresenterLayout(width: 110, height: 32))
    d.state.presentForced = true
    #expect(d.state.usesPresenterLayout(width: 200, height: 60))
    let idle = AppState()
    #expect(!idle.usesPresenterLayout(width: 80, height: 24))
  }

  @Test("the outcome shows as one line with the rule's id and sentence, emphasised, then not")
  func outcomeBand() {
    var d = Self.playing("lesson-smep", steps: 8, width: 100, height: 30)
    let screen = d.screen(100, 30)
    let text = Self.text(screen)
    #expect(text.contains("#GP — pin.cr4.high: CR4.SMEP (bit 20, 0x100000) is pinned high"))
    #expect(!text.contains("more than fits"))
    #expect(!text.contains("✓ expect"))
    #expect(!text.contains("MSR_KVM"))
    let row = (0..<screen.height).first { screen.line($0).contains("#GP — pin.cr4.high") }
    #expect(row.map { screen[$0, 1].role } == .cursorAlarm)
    #expect(d.state.outcomeEmphasis == 0)
    d.effects += update(&d.state, tick: 1_000)
    #expect(d.state.outcomeEmphasis == 1_000)
    d.effects += update(&d.state, tick: 600)
    #expect(d.state.outcomeEmphasis == nil)
    let after = d.screen(100, 30)
    #expect(row.map { after[$0, 1].role } == .normal)
    #expect(Self.text(after).contains("#GP — pin.cr4.high"))
  }

  @Test("the step pane lists every statement the step ran with its outcome, failed checks too")
  func wholeStep() {
    let d = Self.playing("lesson-smep", steps: 1)
    let text = Self.text(d.screen(80, 24))
    for statement in ["option mechanism none", "boot", "host sregs cr4=cr4 & ~SMEP", "exec user"] {
      #expect(text.contains(statement), "\(statement)")
    }
    #expect(text.contains("step 1/9 ran"))
    #expect(text.contains("next ▸ option mechanism native"))
  }

  /// lesson-smep at 80x24 after the first step whose narration does not fit.
  static func cutNarration() -> Driver? {
    var d = playing("lesson-smep")
    for _ in 0..<9 {
      if text(d.screen(80, 24)).contains("▼ more below") { return d }
      d.press(.character("n"))
    }
    return nil
  }

  @Test("the narration scrolls with PgDn/PgUp and says there is more, within its length")
  func narrationScroll() throws {
    var d = try #require(Self.cutNarration())
    #expect(!Self.text(d.screen(80, 24)).contains("▲ more above"))
    for _ in 0..<20 { d.press(.pageDown) }
    let limit = d.state.narrationScroll
    #expect(limit > 0)
    let end = Self.text(d.screen(80, 24))
    #expect(end.contains("▲ more above"))
    #expect(!end.contains("▼ more below"))
    let last = d.state.playback?.nextStep?.narration.last?.split(separator: " ").suffix(2).joined(
      separator: " ")
    #expect(end.contains(last ?? "?"))
    d.press(.pageUp)
    #expect(d.state.narrationScroll == max(0, limit - 5))
    d.press(.character("n"))
    #expect(d.state.narrationScroll == 0)
  }

  @Test("the wheel over the narration scrolls it; elsewhere it scrolls the log")
  func wheel() throws {
    var d = try #require(Self.cutNarration())
    d.send(.scroll(row: 8, column: 10, delta: 1))
    #expect(d.state.narrationScroll > 0)
    d.send(.scroll(row: 8, column: 10, delta: -1))
    #expect(d.state.narrationScroll == 0)
    d.send(.scroll(row: 2, column: 10, delta: -1))
    #expect(d.state.narrationScroll == 0)
  }

  @Test("the cursor follows the bit the step acts on; the SMAP lesson shows EFLAGS.AC")
  func cursorFollows() {
    var d = Self.playing("lesson-smap", steps: 1)
    #expect(d.state.cursor == BitCursor(.cr4, 21))
    d.press(.character("n"), .character("n"))
    let text = Self.text(d.screen(80, 24))
    #expect(text.contains("EFLAGS.AC 0"))
    #expect(text.contains("clac"))
    var e = Self.playing("lesson-smep", steps: 1)
    #expect(e.state.cursor == BitCursor(.cr4, 20))
    e.press(.character("n"))
    #expect(!Self.text(e.screen(80, 24)).contains("EFLAGS.AC"))
  }

  @Test("one numbering: the mode line, the panes, the timeline and the log say step k/N")
  func numbering() {
    var d = Self.playing("lesson-smep", steps: 3, width: 120, height: 40)
    #expect(d.state.playback?.stepLabel == "step 3/9")
    let text = Self.text(d.screen(120, 40))
    #expect(text.contains("▶ lesson-smep step 3/9"))
    #expect(text.contains("── step 3/9"))
    d.press(.character("T"))
    #expect(Self.text(d.screen(120, 40)).contains("step 3/9 ▸ kernel write cr4, cr4 & ~SMEP"))
  }

  @Test("the log shows the newest step whole, bottom-aligned, the fault's rule loud")
  func logShowsStep() {
    var d = Self.playing("lesson-smep", steps: 9, width: 120, height: 40)
    d.state.presentForced = false
    let screen = d.screen(120, 40)
    let text = Self.text(screen)
    #expect(text.contains("kernel kernel write cr4, cr4 & ~SMEP #GP"))
    #expect(text.contains("exec user                #PF"))
    let rows = (0..<screen.height).map { screen.line($0) }
    guard let footer = rows.lastIndex(where: { $0.contains("actions and outcomes") }) else {
      Issue.record("no log")
      return
    }
    #expect(!rows[footer - 1].allSatisfy { $0 == "│" || $0 == " " })
    let rule = (0..<screen.height).first { screen.line($0).contains("smep.exec-user: CR4.SMEP") }
    #expect(rule.map { row in screen[row, 8].role } == .alarm)
  }

  @Test("the Predict box leaves the narration readable and lists every prediction key")
  func predictBox() {
    var d = Driver(AppState(size: TerminalSize(width: 80, height: 24), quiz: true))
    d.effects += d.state.startScenario(id: "lesson-smep") ?? []
    d.press(.character("n"))
    #expect(d.state.mode.kind == .predict)
    let text = Self.text(d.screen(80, 24))
    #expect(text.contains("1. ret2usr with no mitigations") || text.contains("The SMEP lesson"))
    for prediction in Prediction.allCases {
      #expect(text.contains("\(prediction.key) \(prediction.label)"), "\(prediction)")
    }
    #expect(text.contains("Esc back without running it"))
    d.press(.pageDown)
    #expect(d.state.narrationScroll > 0)
    #expect(d.state.mode.kind == .predict)
  }

  @Test("at 100x30 in the projector theme the narration is never cut while rows are free")
  func projectorNarration() {
    var d = Driver(AppState(size: TerminalSize(width: 100, height: 30), projector: true))
    d.effects += d.state.startScenario(id: "lesson-smep") ?? []
    for _ in 0...9 {
      let rows = (0..<30).map { d.screen(100, 30).line($0) }
      let top = rows.firstIndex { $0.hasPrefix("╭ Scenario") } ?? 0
      let bottom = rows[(top + 1)...].firstIndex { $0.hasPrefix("╰") } ?? 0
      let blank = rows[(top + 1)..<bottom].filter { $0.allSatisfy { $0 == "│" || $0 == " " } }
      #expect(!rows[bottom].contains("more below") || blank.isEmpty, "\(rows.joined(separator: "\n"))")
      #expect(!rows.joined().contains("more than fits"))
      d.press(.character("n"))
    }
  }

  @Test("no log entry repeats a note", arguments: PlaybackScenario.builtIn.map(\.id))
  func noDuplicateNotes(id: String) {
    let d = Self.playing(id, steps: 40, width: 120, height: 40)
    for entry in d.state.log {
      let texts = entry.details.map(\.text)
      #expect(Set(texts).count == texts.count, "\(entry.statement): \(texts)")
    }
  }
}
