import Script
import Testing

/// A `chunked` driver (`crpin run` and `crpin scenario` below a terminal) hands over the very
/// bytes a driver handing one piece at a time gives, each piece followed by a newline: in
/// chunks of whole pieces, all but the last at least the chunk size (64 KiB here, so that a
/// test script makes several), the last one also after an error.
@Suite("chunked trace")
struct ChunkedTraceTests {
  /// The script's trace one piece at a time, each followed by a newline, and the report.
  private static func pieces(_ source: String, format: TraceFormat) -> (String, ScriptReport) {
    var driver = ScriptDriver(format: format)
    var text = ""
    _ = ScriptStream.run(TextInput(source), driver: &driver) { text += $0.text + "\n" }
    return (text, driver.report)
  }

  /// The script's trace from a chunked driver, each chunk, and the report.
  private static func chunks(_ source: String, format: TraceFormat) -> ([String], ScriptReport) {
    var driver = ScriptDriver(format: format, chunked: true, chunkSize: 64 << 10)
    var chunks: [String] = []
    _ = ScriptStream.run(TextInput(source), driver: &driver) { chunks.append($0.text) }
    return (chunks, driver.report)
  }

  /// Fails where the chunked trace of `source` is not the piece-by-piece one.
  private static func expectSameTrace(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for format in TraceFormat.allCases {
      let (expected, report) = pieces(source, format: format)
      let (chunks, chunkedReport) = chunks(source, format: format)
      #expect(chunks.joined() == expected, "\(format)", sourceLocation: sourceLocation)
      #expect(chunks.allSatisfy { $0.hasSuffix("\n") }, "\(format)", sourceLocation: sourceLocation)
      #expect(
        chunks.dropLast().allSatisfy { $0.utf8.count >= 64 << 10 }, "\(format)",
        sourceLocation: sourceLocation)
      #expect(chunkedReport.error == report.error, "\(format)", sourceLocation: sourceLocation)
      #expect(chunkedReport.failures == report.failures, "\(format)", sourceLocation: sourceLocation)
    }
  }

  /// A script that fails to read once its text is read (a file cut off under crpin).
  private struct FailingInput: ScriptInput {
    var text: TextInput
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScriptInputFailure) -> Int {
      let count = text.read(into: buffer)
      guard count > 0 else { throw ScriptInputFailure(message: "cut off") }
      return count
    }
  }

  @Test("a read failure: the lines read before it are traced, then the failure is returned")
  func readFailure() {
    let source = String(repeating: "set cr4.SMEP\nclear cr4.SMEP\n", count: 800)
    for format in TraceFormat.allCases {
      let (expected, _) = Self.pieces(source, format: format)
      var driver = ScriptDriver(format: format, chunked: true, chunkSize: 64 << 10)
      var chunks: [String] = []
      let failure = ScriptStream.run(FailingInput(text: TextInput(source)), driver: &driver) {
        chunks.append($0.text)
      }
      #expect(failure == ScriptInputFailure(message: "cut off"), "\(format)")
      #expect(chunks.count > 1, "\(format)")
      #expect(chunks.joined() == expected, "\(format)")
    }
  }

  @Test("every built-in scenario", arguments: Scenario.all.map(\.id))
  func scenarios(_ id: String) throws {
    Self.expectSameTrace(try #require(Scenario.named(id)).source)
  }

  @Test(
    "narration, a failed expect, a run stopped at run time, a trace of many chunks",
    arguments: [
      "#> A paragraph\n#> goes on.\n#>\n#> Another.\nclear cr4.SMEP\nexpect ok\n#> The end.",
      "clear cr4.SMEP\nmov cr4, smram.cr4\nclear cr0.WP",
      String(repeating: "set cr4.SMEP\nclear cr4.SMEP\nexpect gp\n", count: 1_500) + "#> closing words",
      String(repeating: "vcpus 2\n", count: 1) + String(repeating: "vcpu 1\nsmi\nrsm\n", count: 700)
        + "mov cr4, smram.cr4",
    ])
  func edgeScripts(_ source: String) {
    Self.expectSameTrace(source)
  }
}
