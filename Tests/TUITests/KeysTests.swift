import Engine
import Script
import Testing

@testable import TUI

/// The keys and the command line in front of a room (issue 12): Ctrl-C, the `:` line's box,
/// Tab completion, `help`, the ranked key bar, the help overlay's columns, the wide picker.
@Suite("keys and the command line")
struct KeysTests {
  /// The rows of the prompt's box: from its top border to the line above the prompt.
  private func promptBox(_ screen: Screen) -> [String] {
    let rows = (0..<screen.height).map { screen.line($0) }
    let top = rows.lastIndex { $0.hasPrefix("╭ : command line") } ?? rows.count
    return Array(rows[top..<(rows.count - 1)])
  }

  @Test("an error at 80 columns is shown whole, wrapped in the prompt's own box, caret at its column")
  func promptErrorWraps() throws {
    var d = Driver()
    d.type(":mov cr4, ((((")
    d.press(.enter)
    let failure = try #require(d.state.prompt.failure)
    #expect(failure.column == 14)
    let screen = d.screen(80, 24)
    let box = promptBox(screen)
    #expect(box.count >= 5, "\(box)")
    // Every row of the box is the box's own: its border at both edges, nothing else's.
    for row in box.dropFirst().dropLast() {
      #expect(row.hasPrefix("│") && row.hasSuffix("│"), "\(row)")
    }
    #expect(box.last?.hasPrefix("╰") == true)
    // The message in full across its wrapped lines.
    let text = box.map { $0.trimmingCharacters(in: " │") }.joined(separator: " ")
    let message = "column 14: " + failure.message
    #expect(
      text.split(separator: " ").joined(separator: " ").contains(
        message.split(separator: " ").joined(separator: " ")),
      "\(text)")
    // The caret under the column the error points at (the prompt's text starts at column 1).
    let caretRow = box[box.count - 2]
    #expect(Array(caretRow.unicodeScalars)[14] == "^", "\(caretRow)")
    #expect(screen.line(23).hasPrefix(":mov cr4, (((("))
  }

  @Test("the hint says what the statement under the cursor expects next")
  func hintLine() {
    var d = Driver()
    d.type(":mov cr4")
    let text = d.screen(80, 24).text
    #expect(text.contains("mov cr0|cr3|cr4, EXPR   guest MOV to a control register"))
    #expect(text.contains("▸ expected ',' after the register"))
    d.press(.control("u"))
    d.type("frob")
    #expect(d.screen(80, 24).text.contains("no statement 'frob'"))
  }

  @Test("Tab completes keywords, bits, MSRs, options; repeated Tab cycles, Shift-Tab goes back")
  func tabCompletion() throws {
    var d = Driver()
    d.type(":mo")
    d.press(.tab)
    #expect(d.state.prompt.text == "mov ")
    d.press(.control("u"))
    d.type("set cr4.SM")
    d.press(.tab)
    // Ambiguous: the candidates are listed, the text kept as typed.
    #expect(d.state.prompt.text == "set cr4.SM")
    let names = try #require(d.state.prompt.completion?.names)
    #expect(Set(names) == ["CR4.SMEP", "CR4.SMAP", "CR4.SMXE"])
    #expect(d.screen(80, 24).text.contains("CR4.SMAP"))
    d.press(.tab)
    #expect(d.state.prompt.text == "set " + names[0])
    d.press(.tab)
    #expect(d.state.prompt.text == "set " + names[1])
    d.press(.backTab)
    #expect(d.state.prompt.text == "set " + names[0])
    d.press(.tab, .tab, .tab)
    #expect(d.state.prompt.text == "set " + names[0])
    // Another key ends the cycle; the statement runs as completed.
    d.press(.enter)
    #expect(d.state.mode.kind == .normal)
    #expect(d.state.log.last?.statement == "set " + names[0])

    d.type(":option mech")
    d.press(.tab)
    #expect(d.state.prompt.text == "option mechanism")
    d.type(" he")
    d.press(.tab)
    #expect(d.state.prompt.text == "option mechanism heki")
    d.press(.control("u"))
    d.type("option kvm-pin o")
    d.press(.tab)
    #expect(d.state.prompt.completion?.names == ["on", "off"])
    d.press(.control("u"))
    d.type("wrmsr CR4_PINNED_H")
    d.press(.tab)
    #expect(d.state.prompt.text == "wrmsr CR4_PINNED_HIGH")
    d.type(", SM")
    d.press(.tab)
    #expect(d.state.prompt.completion?.names.contains("SMEP") == true)
    d.press(.control("u"))
    d.type("zzz")
    d.press(.tab)
    #expect(d.state.message?.text.contains("nothing completes") == true)
  }

  @Test("help: the whole language in an overlay; help mov its syntax above the open prompt")
  func helpCommand() throws {
    var d = Driver()
    d.command("help")
    #expect(d.state.mode.kind == .languageHelp)
    let text = d.screen(100, 30).text
    #expect(text.contains("Script language"))
    #expect(text.contains("guest MOV to a control register"))
    d.press(.escape)
    #expect(d.state.mode.kind == .normal)

    d.command("help mov")
    #expect(d.state.mode.kind == .command)
    let shown = try #require(d.state.prompt.shownHelp.first)
    #expect(shown.lines.first?.hasPrefix("mov cr0|cr3|cr4, EXPR") == true)
    #expect(d.state.prompt.text.isEmpty)
    #expect(d.screen(80, 24).text.contains("mov cr0|cr3|cr4, EXPR   guest MOV to a control register"))
    #expect(LanguageHelp.entries(for: ["option", "mechanism"]).count == 1)
    #expect(LanguageHelp.entries(for: ["expr"]).first?.lines.first?.hasPrefix("EXPR:") == true)
    #expect(LanguageHelp.topics.contains("clear"))

    d.press(.escape)
    d.command("help nosuch")
    #expect(d.state.mode.kind == .command)
    #expect(d.state.prompt.failure?.message.hasPrefix("no help on 'nosuch'") == true)
    #expect(d.state.prompt.failure?.column == 6)
    #expect(d.state.log.isEmpty)
  }

  @Test(
    "Ctrl-C cancels the : line; in the register view it quits 130, asking first when actions would be lost")
  func controlC() {
    var d = Driver()
    d.type(":mov cr4, 0")
    d.press(.control("c"))
    #expect(d.state.mode.kind == .normal)
    #expect(d.state.prompt.text.isEmpty)
    #expect(d.effects.isEmpty)
    #expect(d.state.log.isEmpty)
    d.press(.control("c"))
    #expect(d.effects == [.interrupt])

    var e = Driver()
    e.press(.character("s"), .control("c"))
    #expect(e.state.mode.kind == .quitConfirm)
    #expect(e.screen(80, 24).text.contains("y C-c quit"))
    e.press(.character("n"))
    #expect(e.state.mode.kind == .normal && e.effects.isEmpty)
    e.press(.control("c"), .control("c"))
    #expect(e.effects == [.interrupt])

    var f = Driver()
    f.press(.character("s"), .control("c"), .character("y"))
    #expect(f.effects == [.interrupt])
    // `q` asks the same question and quits with status 0.
    var g = Driver()
    g.press(.character("s"), .character("q"), .character("y"))
    #expect(g.effects == [.quit])
    // While recording nothing is lost: Ctrl-C quits at once, from an overlay too.
    var h = Driver(AppState(isRecording: true))
    h.press(.character("s"), .character("?"), .control("c"))
    #expect(h.effects.last == .interrupt)
  }

  @Test("? and q work in every overlay, as the key bar says")
  func helpAndQuitEverywhere() {
    for open in [Key.character("S"), .character("T"), .character("D"), .character("c"), .character("M")] {
      var d = Driver()
      d.press(.character("s"), open)
      #expect(d.state.mode.kind != .normal)
      d.press(.character("?"))
      #expect(d.state.mode.kind == .help)
      d.press(.character("?"))
      #expect(d.state.mode.kind == .normal)
      d.press(open, .character("q"))
      #expect(d.state.mode.kind == .quitConfirm)
      #expect(d.state.comparison == nil)
    }
  }

  /// Every mode, in states that change what the bar offers.
  private var everyMode: [(String, Driver)] {
    func driver(_ setUp: (inout Driver) -> Void) -> Driver {
      var d = Driver()
      setUp(&d)
      return d
    }
    var quiz = Driver(AppState(quiz: true))
    quiz.effects += quiz.state.startScenario(id: "compare-rop") ?? []
    quiz.press(.character("n"))
    return [
      ("normal", driver { _ in }),
      ("SMM", driver { $0.press(.character("s")) }),
      ("L2", driver { $0.press(.character("v")) }),
      ("undone", driver { $0.press(.character("s"), .character("u"), .escape) }),
      ("playing", driver { $0.effects += $0.state.startScenario(id: "smm-tamper") ?? [] }),
      ("message", driver { $0.press(.character("1")) }),
      ("help", driver { $0.press(.character("?")) }),
      ("scenario picker", driver { $0.press(.character("S")) }),
      ("mechanism picker", driver { $0.press(.character("M")) }),
      ("quit question", driver { $0.press(.character("s"), .character("q")) }),
      ("compare", driver { $0.press(.character("c")) }),
      ("discrepancies", driver { $0.press(.character("D")) }),
      ("timeline", driver { $0.press(.character("T")) }),
      ("language help", driver { $0.command("help") }),
      ("predict", quiz),
    ]
  }

  @Test("the key bar keeps ? help and q quit at 80 columns in every mode and state")
  func keyBarAlwaysHelpAndQuit() {
    for (name, d) in everyMode {
      for width in [80, 100, 160] {
        let bar = d.screen(width, 30).line(29).trimmingCharacters(in: " ")
        #expect(bar.contains("? help") && bar.hasSuffix("q quit"), "\(name) at \(width): \(bar)")
      }
    }
  }

  @Test("the key bar is ranked: a scenario's n/p first, s RSM in SMM, v VM-exit in L2, C-r after undo")
  func keyBarRanked() {
    let modes = Dictionary(uniqueKeysWithValues: everyMode)
    func bar(_ name: String) -> String { (modes[name]?.screen(80, 24).line(23)) ?? "" }
    #expect(bar("normal").hasPrefix(" Spc toggle  H/L pin  +/-/= host"))
    #expect(bar("SMM").hasPrefix(" s RSM "))
    #expect(bar("L2").hasPrefix(" v VM-exit "))
    #expect(bar("undone").hasPrefix(" C-r redo "))
    #expect(bar("playing").hasPrefix(" n next  p back  a auto  Spc toggle"))
    // Predict mode names every prediction key, `s` stopped among them, in 80 columns.
    let predict = bar("predict")
    for prediction in Prediction.allCases {
      #expect(predict.contains("\(prediction.key) \(prediction.barLabel)"), "\(predict)")
    }
    #expect(predict.contains("s stop"))
  }

  @Test("the key bar's keys are the keymap's: every hint's key runs the command the bar names")
  func keyBarFromKeymap() {
    for (name, d) in everyMode where d.state.mode.kind == .normal {
      for hint in KeyBar.registerViewHints(d.state) {
        for key in hint.key.split(separator: "/") {
          let binding = Keymap.groups.flatMap(\.bindings).first { $0.barKey == key }
          #expect(binding != nil, "\(name): \(key)")
        }
      }
    }
    #expect(Keymap.alwaysOnBar.map(\.barKey) == ["?", "q"])
  }

  @Test("an overlay's key bar is its keymap's: each hint is a binding's, and its Esc or n leaves the mode")
  func overlayKeyBarFromKeymap() {
    for (name, d) in everyMode where ![.normal, .command].contains(d.state.mode.kind) {
      let kind = d.state.mode.kind
      let hinted = OverlayKeymap.bindings(kind).filter { $0.hint != nil }
      #expect(KeyBar.hints(d.state).map(\.text) == hinted.compactMap { $0.hint?.text }, "\(name)")
      for binding in hinted {
        #expect(
          binding.keys.allSatisfy { OverlayKeymap.command(for: $0, in: kind) == binding.command }, "\(name)")
      }
      let close = hinted.first { $0.command == .close }
      var closed = d
      if let key = close?.keys.first { closed.press(key) }
      #expect(closed.state.mode.kind == .normal, "\(name): the bar's close key closes")
    }
  }

  @Test("help overlay: a heading never ends a column, at 80x24, 100x30 and 160x50")
  func helpHeadingsKeptWithKeys() {
    let titles = Set(Keymap.groups.map(\.title))
    for (width, height) in [(80, 24), (100, 30), (160, 50)] {
      let perPage = width >= 3 * HelpOverlay.columnWidth + 6 ? 3 : 2
      let layout = HelpOverlay.layout(perPage: perPage, maxRows: HelpOverlay.maxRows(height: height))
      var seen: [String] = []
      for column in layout {
        let isHeading = column.map { $0.first?.role == .title }
        #expect(isHeading.last == false, "\(width)x\(height): \(column.map { $0.map(\.text).joined() })")
        for line in column where line.first?.role == .title { seen.append(line[0].text) }
        for line in column where line.first?.role == .key { seen.append(line.map(\.text).joined()) }
      }
      // Every group's heading and every key is somewhere (on a later column when scrolled).
      #expect(titles.isSubset(of: Set(seen)))
      #expect(seen.count >= Keymap.groups.flatMap(\.bindings).count + titles.count)
      if width >= 100 { #expect(layout.count <= perPage, "\(width)x\(height): everything on one page") }
    }
    // At 100x30 every key's summary is on the screen at once.
    var d = Driver()
    d.press(.character("?"))
    let text = d.screen(100, 30).text
    for binding in Keymap.groups.flatMap(\.bindings) { #expect(text.contains(binding.summary)) }
    // At 80x24 the rest is a scroll away; the footer says so.
    #expect(d.screen(80, 24).text.contains("↑↓ more columns"))
    d.press(.down)
    #expect(d.screen(80, 24).text.contains("step forward (redo)"))
  }

  @Test("at 160 columns the scenario picker shows every title and the introduction beside the list")
  func widePicker() throws {
    var d = Driver()
    d.press(.character("S"))
    let text = d.screen(170, 45).text
    for scenario in d.state.scenarios { #expect(text.contains(scenario.id + " ")) }
    let first = try #require(d.state.scenarios.first)
    #expect(text.contains(first.title))
    for word in first.introduction.split(separator: " ") { #expect(text.contains(word), "\(word)") }
  }
}
