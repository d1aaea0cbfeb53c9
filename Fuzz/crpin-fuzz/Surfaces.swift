import Engine
import Script
import TUI

/// The input surfaces beyond `crpin run` (issue 19): the same bytes as a pasted register dump
/// (`explain --from`, `tui --from`), compared under every design (`compare`), exported as
/// slides and a handout (`export slides`), recorded as an asciicast (`export asciicast`), and
/// typed or pasted into the TUI's `:` prompt through `update`, then drawn.
extension FuzzTarget {
  /// Lines `compare` and the exports take at most here: they keep every statement (crpin caps
  /// them at 10,000 and 2,000 statements), so longer inputs would only slow the fuzzer down.
  static let boundedLines = 2_000

  /// Lines the asciicast takes at most here: it draws a whole frame a step.
  static let recordedLines = 200

  /// A fresh TUI, made once (it reads every built-in scenario) and copied for each input.
  private static let freshState = AppState(vcpuCount: 1)

  static func runSurfaces(text: String, lines: [Substring], report: ScriptReport) {
    scanDump(text)
    if lines.count <= boundedLines {
      compare(text)
      export(text, report: report)
    }
    if lines.count <= recordedLines { record(text) }
    typeIntoPrompt(lines.first.map(String.init) ?? "")
  }

  /// `explain --from`: every finding on a line of the text, its excerpt short and free of
  /// control characters, the printed text too.
  private static func scanDump(_ text: String) {
    let lineCount = text.utf8.count { $0 == UInt8(ascii: "\n") } + 1
    let dump = RegisterDump(scanning: text)
    for finding in dump.findings {
      check((1...lineCount).contains(finding.line), "a dump finding on line \(finding.line) of \(lineCount)")
      check(!hasControl(finding.text), "a control character in a dump excerpt")
      check(
        finding.text.utf8.count <= 4 * RegisterDump.excerptLength + 16,
        "a dump excerpt of \(finding.text.utf8.count) bytes")
    }
    check(!hasControl(Explain.dumpText(dump)), "a control character in explain --from's text")
    _ = Explain.json(Explain.explained(dump).map { ($0.register, $0.finding.line) })
    _ = DumpStart(dump: text)
  }

  /// `compare`: a status in 0...2 and no raw control character in any format.
  private static func compare(_ text: String) {
    guard case .success(let comparison) = Comparison.run(text) else { return }
    check((0...2).contains(comparison.exitCode), "compare's status \(comparison.exitCode)")
    for format in ComparisonFormat.allCases {
      check(!hasControl(comparison.rendered(format)), "a control character in compare's \(format)")
    }
  }

  /// `export slides` (and `--handout`): the deck's run ends as `crpin run`'s does.
  private static func export(_ text: String, report: ScriptReport) {
    for form in [SlideDeck.Form.slides, .handout] {
      let deck = SlideDeck(source: text, title: "fuzz", origin: "fuzz", form: form)
      check(deck.report.exitCode == report.exitCode, "the deck's status differs from the run's")
      check(deck.report.failures == report.failures, "the deck's failed expectations differ from the run's")
    }
  }

  /// `export asciicast`: when the script plays, every line of the cast is a JSON line with no
  /// raw control character (the frames' escape sequences are JSON-escaped), ending in a newline.
  private static func record(_ text: String) {
    let scenario = PlaybackScenario(id: "fuzz", title: "fuzz", source: text)
    guard case .success(let cast) = Asciicast.render(scenario, width: 80, height: 24) else { return }
    check(cast.hasSuffix("\n"), "an asciicast without its last newline")
    check(
      !cast.unicodeScalars.contains { $0 != "\n" && TerminalSafe.isControl($0) },
      "a raw control character in an asciicast")
  }

  /// The `:` prompt: `:`, each character of `line` as the terminal backend would decode it
  /// (control bytes as control keys), Enter; then the screen is drawn.
  private static func typeIntoPrompt(_ line: String) {
    var state = freshState
    _ = update(&state, .key(.character(":")))
    for character in line { _ = update(&state, .key(key(for: character))) }
    _ = update(&state, .key(.enter))
    _ = render(state, width: 100, height: 30)
  }

  private static func key(for character: Character) -> Key {
    guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first,
      scalar.value < 0x20 || scalar.value == 0x7F
    else { return .character(character) }
    switch scalar.value {
    case 0x09: return .tab
    case 0x0D: return .enter
    case 0x1B: return .escape
    case 0x08, 0x7F: return .backspace
    default: return .control(Character(Unicode.Scalar(UInt8(scalar.value) + 0x60)))
    }
  }

  private static func hasControl(_ text: String) -> Bool {
    text.unicodeScalars.contains(where: TerminalSafe.isControl)
  }
}
