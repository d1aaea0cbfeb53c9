import Foundation
import Testing

/// `crpin-bench` still runs and reports every figure issue 5 budgets. Only that: speed is
/// measured by the bench (README, "Performance"), never asserted in a test, and this debug
/// build is far slower than the release build the README's figures come from.
@Suite("crpin-bench")
struct BenchSmokeTests {
  static let figures: Set<String> = [
    "engine_ns_per_write", "engine_ns_per_explained_write", "engine_ns_per_wrmsr",
    "script_statements_per_s", "view_us_per_frame", "startup_ms", "bytes_per_toggle", "peak_rss_mb",
  ]

  @Test("--quick --json: one JSON object holding every figure, each a positive number")
  func quickJSON() throws {
    let crpin = try CrpinBinary.require()
    let bench = URL(fileURLWithPath: crpin).deletingLastPathComponent().appendingPathComponent("crpin-bench")
      .path
    try #require(
      FileManager.default.isExecutableFile(atPath: bench), "no crpin-bench next to crpin: run `swift build`")
    let run = try Tmux.execute([bench, "--quick", "--json", "--crpin", crpin])
    #expect(run.status == 0, "\(run.error)")
    let lines = run.output.split(separator: "\n")
    #expect(lines.count == 1, "one line: \(run.output)")
    let object = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]
    let values = try #require(object as? [String: Double], "every value a number: \(run.output)")
    #expect(Set(values.keys) == Self.figures)
    for (name, value) in values { #expect(value > 0, "\(name)") }
  }
}
