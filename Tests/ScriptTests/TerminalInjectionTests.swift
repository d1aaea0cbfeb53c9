import Foundation
import Script
import Testing

/// Escape sequences in a script's narration and notes, or in a pasted dump, never reach a
/// terminal through the exports or `explain --from` (issue 19, item 6): each control character
/// becomes `?`, as the TUI draws it.
@Suite("terminal injection through exports and explain --from")
struct TerminalInjectionTests {
  /// An OSC 52 clipboard write, a line erase, and a colour in a note.
  static let script =
    "#> Step one \u{1b}]52;c;SGVsbG8=\u{07} then \u{1b}[2K\u{9b}2K\n#> more\nmov cr4, 0x3606f0\n"
    + "expect note \"x\u{1b}[31mred\"\n"

  /// Whether `text` holds an ESC, BEL, CSI or other control character but `\n` and `\t`.
  private func hasControl(_ text: String) -> Bool {
    text.unicodeScalars.contains(where: TerminalSafe.isControl)
  }

  @Test("TerminalSafe.text: controls become ?, line feeds and tabs stay, clean text is unchanged")
  func safeText() {
    #expect(TerminalSafe.text("a\u{1b}[2Kb\u{07}\u{7f}\u{9b}c\n\td") == "a?[2Kb???c\n\td")
    #expect(TerminalSafe.text("CR4 → SMEP\n") == "CR4 → SMEP\n")
  }

  @Test("slides: no control character in the Markdown or on standard error; the text is kept")
  func slides() throws {
    let result = try HostileRun.run(Self.script, #""$0" export slides "$1" -o -"#)
    #expect(result.status == 1, "the note expectation fails: \(result.stderr)")
    #expect(!hasControl(result.stdout))
    #expect(!hasControl(result.stderr))
    #expect(result.stdout.contains("Step one ?]52;c;SGVsbG8=? then ?[2K?2K"))
    #expect(result.stderr.contains("expect note \"x?[31mred\""))
  }

  @Test("asciicast: the frames carry the script's text with ? for each control character")
  func asciicast() throws {
    let result = try HostileRun.run(Self.script, #""$0" export asciicast "$1" -o - 2>/dev/null"#)
    #expect(result.status == 1)
    var frames = ""
    for line in result.stdout.split(separator: "\n").dropFirst() {
      let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any])
      frames += try #require(event.last as? String)
    }
    #expect(!frames.contains("\u{1b}]"), "no OSC")
    #expect(!frames.contains("\u{07}"))
    #expect(!frames.contains("\u{9b}"))
    #expect(!frames.contains("\u{1b}[2K"))
    #expect(frames.contains("Step one ?]52;c;SGVsbG8=? then ?[2K?2K"))
  }

  @Test("explain --from: a dump line with an escape sequence is printed with ? for it")
  func explainFrom() throws {
    let result = try HostileRun.run(
      "CR4: 00000000001006f0 \u{1b}]52;c;SGVsbG8=\u{07}\n", #""$0" explain --from "$1""#)
    #expect(result.status == 0)
    #expect(!hasControl(result.stdout))
    #expect(result.stdout.contains("CR4: 00000000001006f0 ?]52;c;SGVsbG8=?"))
  }
}
