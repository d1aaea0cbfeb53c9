import Foundation
import Testing

/// `crpin-bench` still runs and reports every figure issues 5 and 14 budget. Only that: speed is
/// measured by the bench (docs/performance.md), never asserted in a test, and this debug
/// build is far slower than the release build the figures in docs/performance.md come from.
@Suite("crpin-bench")
struct BenchSmokeTests {
  static let figures: Set<String> = [
    "engine_ns_per_write", "engine_ns_per_explained_write", "engine_ns_per_wrmsr", "c_ns_per_write",
    "engine_vs_c", "view_us_per_frame", "startup_ms", "bytes_per_toggle", "peak_rss_mb",
    "run_text_per_s", "run_text_peak_rss_mb", "run_jsonl_per_s", "run_jsonl_peak_rss_mb",
    "run_text_long_per_s", "run_text_long_peak_rss_mb", "run_jsonl_long_per_s", "run_jsonl_long_peak_rss_mb",
    "run_mixed_text_per_s", "run_mixed_text_peak_rss_mb", "run_mixed_jsonl_per_s",
    "run_mixed_jsonl_peak_rss_mb", "run_text_cpu_per_s", "run_jsonl_cpu_per_s", "run_text_long_cpu_per_s",
    "run_jsonl_long_cpu_per_s", "run_mixed_text_cpu_per_s", "run_mixed_jsonl_cpu_per_s",
    "compare_peak_rss_mb", "export_slides_peak_rss_mb", "export_asciicast_peak_rss_mb",
    "explain_from_peak_rss_mb", "import_trace_peak_rss_mb",
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
