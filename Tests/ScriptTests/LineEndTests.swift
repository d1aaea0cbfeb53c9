import Script
import Testing

/// A byte order mark and CR-only line ends (issue 19, item 8): a BOM starting the script is
/// skipped, by `run` (the streaming reader) and by `compare` and `export` (`parseScript`) alike;
/// CR-only line ends are refused with a message that names them, not a misleading one about the
/// next statement; CRLF line ends still run.
@Suite("byte order mark and line ends")
struct LineEndTests {
  static let commands = [#""$0" run "$1""#, #""$0" compare "$1""#, #""$0" export slides "$1" -o -"#]

  @Test("a leading BOM is skipped", arguments: commands)
  func byteOrderMark(command: String) throws {
    let result = try HostileRun.run(
      [0xEF, 0xBB, 0xBF] + Array("kernel write cr4, cr4\nexpect ok\n".utf8), command)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("kernel write cr4, cr4"))
    #expect(!result.stderr.contains("U+FEFF"))
  }

  @Test("a BOM with CRLF line ends runs; a BOM after line 1 is still an unexpected character")
  func byteOrderMarkAndCRLF() throws {
    let crlf = try HostileRun.run(
      [0xEF, 0xBB, 0xBF] + Array("#> hi\r\nkernel write cr4, cr4\r\nexpect ok\r\n".utf8))
    #expect(crlf.status == 0, "\(crlf.stderr)")
    let later = try HostileRun.run(
      Array("expect ok\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("expect ok\n".utf8))
    #expect(later.status == 2)
    #expect(later.stderr.contains(":2:1: error: unexpected character U+FEFF"))
  }

  @Test("a parse error on line 1 after a BOM: the caret stands under the bad word")
  func caretAfterBOM() throws {
    let result = try HostileRun.run([0xEF, 0xBB, 0xBF] + Array("kernel wrote cr4, 0\n".utf8))
    #expect(result.status == 2)
    #expect(result.stderr.contains("\nkernel wrote cr4, 0\n       ^"), "\(result.stderr)")
  }

  @Test(
    "CR-only line ends: one clear error at the first carriage return, exit 2, nothing run",
    arguments: commands)
  func carriageReturnOnly(command: String) throws {
    for (script, column) in [
      ("kernel write cr4, cr4\rexpect ok\r", 22), ("# a comment\rkernel write cr4, cr4\r", 12),
    ] {
      let result = try HostileRun.run(script, command)
      #expect(result.status == 2)
      #expect(result.stdout.isEmpty)
      #expect(
        result.stderr.contains(
          "script.crpin:1:\(column): error: a carriage return with more text after it: this script uses "
            + "CR-only line ends (classic Mac OS); convert them to line feeds"), "\(result.stderr)")
    }
  }

  @Test("the first pass and parseScript agree on the same error")
  func sameErrorBothReaders() {
    let script = "vcpus 2\r#> x\r"
    guard case .failure(let error) = parseScript(script) else {
      Issue.record("parseScript accepted CR-only line ends")
      return
    }
    #expect(error.line == 1 && error.column == 8)
    #expect(runScript(script).error == error)
  }
}
