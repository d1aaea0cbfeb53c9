import Foundation

// crpin-bench: the figures of docs/performance.md.
//
//   swift build -c release --static-swift-stdlib --product crpin
//   swift build -c release --static-swift-stdlib --product crpin-bench
//   .build/release/crpin-bench [--json] [--quick]
//   .build/release/crpin-bench --engine [--quick]   (the engine and C reference figures only)
//   .build/release/crpin-bench --import [--write-trace PATH]   (issue 17: trace import only)
//
// It measures the engine, the script runner and the view in-process (each the best of several
// rounds: see `best(of:)`), then runs the real `crpin` binary (next to this one, or
// `--crpin PATH`) in a pseudo-terminal for startup time, bytes per toggle and peak memory.

let arguments = CommandLine.arguments.dropFirst()
RuntimeLinkage.warnIfShared()
if arguments.contains("--import") { ImportBench.main(arguments) }
let asJSON = arguments.contains("--json")
let quick = arguments.contains("--quick")
let crpinPath: String = {
  if let flag = arguments.firstIndex(of: "--crpin"), arguments.index(after: flag) < arguments.endIndex {
    return arguments[arguments.index(after: flag)]
  }
  let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
  return me.deletingLastPathComponent().appendingPathComponent("crpin").path
}()

let scale = quick ? 10 : 1
var figures: [(String, Double, String)] = []
let rounds = quick ? 3 : 15
// The engine's MOV and the C reference's, measured in turn (`pairedBest`): `engine_vs_c` is the
// median of the ratios of each pair of rounds, not the ratio of two bests taken apart.
let movCR4 = pairedBest(
  of: rounds, { EngineBench.movCR4(writes: 500_000 / scale) },
  { CReferenceBench.movCR4(writes: 500_000 / scale) })
figures.append(("engine_ns_per_write", movCR4.a, "ns"))
figures.append(
  (
    "engine_ns_per_explained_write",
    best(of: rounds) { EngineBench.movCR4(writes: 50_000 / scale, path: .apply) }, "ns"
  ))
figures.append(
  ("engine_ns_per_wrmsr", best(of: rounds) { EngineBench.wrmsrPin(writes: 500_000 / scale) }, "ns"))
figures.append(("c_ns_per_write", movCR4.b, "ns"))
figures.append(("engine_vs_c", movCR4.ratio, "x"))
if arguments.contains("--engine") {
  // Only the in-process engine figures and the C reference's (for work on `step`).
  for (name, value, unit) in figures {
    print(name.padding(toLength: 31, withPad: " ", startingAt: 0) + String(format: "%12.2f ", value) + unit)
  }
  exit(0)
}
figures.append(
  (
    "view_us_per_frame",
    best(of: rounds) { ViewBench.microsecondsPerFrame(width: 120, height: 40, frames: 200 / scale) },
    "µs"
  ))
var failure: String?
do {
  // `crpin run` to a file, the real binary: 1,000,001 and 10,000,001 statements (--quick:
  // 10,001 and 100,001, for the smoke test's debug build).
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crpin-bench-\(getpid())")
    .path
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: directory) }
  let output = directory + "/trace"
  let sizes = quick ? [("", 10_000), ("_long", 100_000)] : [("", 1_000_000), ("_long", 10_000_000)]
  for (script, names) in [(TracedRunBench.Script.toggle, ""), (.mixed, "_mixed")] {
    for (suffix, statements) in sizes where names.isEmpty || suffix.isEmpty {
      let path = directory + "/\(script.rawValue)\(suffix).crpin"
      try TracedRunBench.writeScript(script, statements: statements, to: path)
      for format in ["text", "jsonl"] {
        let result = try TracedRunBench.best(
          rounds: suffix.isEmpty && !quick ? 3 : 1, crpin: crpinPath, script: path, statements: statements,
          format: format, output: output)
        figures.append(("run\(names)_\(format)\(suffix)_per_s", result.statementsPerSecond, "/s"))
        figures.append(("run\(names)_\(format)\(suffix)_cpu_per_s", result.cpuStatementsPerSecond, "/s"))
        figures.append(("run\(names)_\(format)\(suffix)_peak_rss_mb", result.peakRSSMiB, "MiB"))
      }
      try? FileManager.default.removeItem(atPath: path)
    }
  }
  try? FileManager.default.removeItem(atPath: output)
  for (name, mebibytes) in try MemoryBench.figures(crpin: crpinPath, directory: directory, quick: quick) {
    figures.append((name, mebibytes, "MiB"))
  }

  let terminal = try TerminalBench.run(crpin: crpinPath, width: 120, height: 40, actions: 10_000 / scale)
  figures.append(("startup_ms", terminal.startupMilliseconds, "ms"))
  figures.append(("bytes_per_toggle", Double(terminal.bytesPerToggle), "bytes"))
  figures.append(("peak_rss_mb", terminal.peakRSSMegabytes, "MiB"))
} catch {
  failure = "\(error)"
}

if asJSON {
  var fields = figures.map { name, value, _ in "\"\(name)\":\(String(format: "%.2f", value))" }
  if let failure { fields.append("\"terminal_error\":\"\(failure)\"") }
  print("{" + fields.joined(separator: ",") + "}")
} else {
  for (name, value, unit) in figures {
    print(name.padding(toLength: 31, withPad: " ", startingAt: 0) + String(format: "%12.2f ", value) + unit)
  }
  if let failure { print("terminal measurements failed: \(failure)") }
}
exit(failure == nil ? 0 : 1)
