import Foundation
import Testing

@testable import Script

/// Escape sequences in `#>` narration and `expect note "…"` never reach a terminal through
/// `crpin run`, `scenario` or `compare` traces or their standard error (issue 19, item 6): the
/// text trace prints `?` for each control character, JSON escapes them (and stays valid JSON
/// that gives the text back).
@Suite("terminal injection through run and compare traces")
struct TraceInjectionTests {
  /// An OSC 52 clipboard write and a line erase in narration, an 8-bit CSI, a colour in a note.
  static let script =
    "#> Step one \u{1b}]52;c;SGVsbG8=\u{07} then \u{1b}[2K\u{9b}2K done\n"
    + "kernel write cr4, cr4 & ~SMEP\n" + "expect note \"x\u{1b}[2Kred\"\n"

  private func hasControl(_ text: String) -> Bool {
    text.unicodeScalars.contains(where: TerminalSafe.isControl)
  }

  @Test("run, text: narration and the failed note keep their words, with ? for each control")
  func runText() throws {
    let result = try HostileRun.run(Self.script)
    #expect(result.status == 1, "the note expectation fails: \(result.stderr)")
    #expect(!hasControl(result.stdout))
    #expect(!hasControl(result.stderr))
    #expect(result.stdout.contains("Step one ?]52;c;SGVsbG8=? then ?[2K?2K done"))
    #expect(result.stdout.contains("expect note \"x?[2Kred\""))
    #expect(result.stderr.contains("expect note \"x?[2Kred\""))
  }

  @Test("run, jsonl: no raw control character; standard error made safe")
  func runJSONLines() throws {
    let result = try HostileRun.run(Self.script, #""$0" run --format jsonl "$1""#)
    #expect(result.status == 1)
    #expect(!hasControl(result.stdout))
    #expect(!hasControl(result.stderr))
    #expect(result.stderr.contains("x?[2Kred"))
    for line in result.stdout.split(separator: "\n") {
      #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
    }
  }

  @Test("compare, text and markdown: no control character on either stream", arguments: ["text", "markdown"])
  func compare(format: String) throws {
    let script = Self.script + "expect[kvm-2020] note \"z\u{1b}]52;c;SGVsbG8=\u{07}\"\n"
    let result = try HostileRun.run(script, #""$0" compare "$1" --format "# + format)
    #expect(!hasControl(result.stdout), "\(result.stdout)")
    #expect(!hasControl(result.stderr), "\(result.stderr)")
    #expect(result.stdout.contains("kernel write cr4"))
    #expect(result.stderr.contains("note \"z?]52;c;SGVsbG8=?\""))
  }

  @Test("JSON strings escape C0, DEL and C1 controls and read back as the same text")
  func jsonRoundTrip() throws {
    let text = "a\u{1b}]52;c;SGVsbG8=\u{07}b\u{7f}\u{9b}2K\u{85}é→\n\t\"\\"
    var buffer = TraceBuffer()
    buffer.appendJSON(string: text)
    for quoted in [JSONText.quoted(text), buffer.text] {
      #expect(!hasControl(quoted))
      #expect(quoted.contains("\\u001b]52") && quoted.contains("\\u009b") && quoted.contains("\\u007f"))
      let decoded = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
      #expect(decoded == [text])
    }
  }

  @Test("the byte filter: controls (C1 too) become one ?, other UTF-8 stays, the start is kept")
  func byteFilter() {
    var buffer = TraceBuffer()
    buffer.append("\u{1b}keep é→ ")
    let start = buffer.count
    buffer.append("a\u{1b}[2Kb\u{07}\u{7f}\u{9b}c\u{85}\n\td é")
    buffer.makeTerminalSafe(from: start)
    #expect(buffer.text == "\u{1b}keep é→ a?[2Kb???c?\n\td é")
  }
}
