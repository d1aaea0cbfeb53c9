import Testing

/// `compare` and `export asciicast` refuse scripts past their statement bound at once, with a
/// clear message, instead of using gigabytes (issue 19, item 4).
@Suite("statement bounds of compare and export asciicast")
struct StatementCapTests {
  /// `count` statements, with comments, narration and blank lines between (not counted).
  static func script(statements count: Int) -> String {
    let cycle = ["mov cr4, 0x3606f0", "mov cr4, 0x2606f0", "smi", "rsm"]
    return "# a comment\n#> narration\n\n"
      + (0..<count).map { "  " + cycle[$0 % cycle.count] + "\r" }.joined(separator: "\n#> more\n\n") + "\n"
  }

  @Test("compare: 10,001 statements are refused with the count and the bound, exit 2, nothing printed")
  func compareCap() throws {
    let result = try HostileRun.run(Self.script(statements: 10_001), #""$0" compare "$1""#)
    #expect(result.status == 2)
    #expect(
      result.stderr.hasSuffix(
        "script.crpin: error: too many statements for compare: 10001; it takes at most 10000 statements "
          + "(split the script, or use `crpin run`, which has no limit)\n"), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test(
    "export asciicast: 2,001 statements are refused, nothing written; 2,000 are not refused for their number")
  func asciicastCap() throws {
    let refused = try HostileRun.run(
      Self.script(statements: 2_001), #""$0" export asciicast "$1" -o "$1.cast"; ls "$1.cast""#)
    #expect(
      refused.stderr.contains("error: too many statements for export asciicast: 2001; it takes at most 2000"))
    #expect(refused.stderr.contains("No such file"), "nothing written")
    let accepted = try HostileRun.run(
      Self.script(statements: 2_000), #""$0" export asciicast "$1" -o /dev/null"#)
    #expect(!accepted.stderr.contains("too many statements"), "\(accepted.stderr)")
  }
}
