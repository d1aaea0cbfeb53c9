import Foundation

/// `*_peak_rss_mb` for the commands that read a whole input (issue 19): the real crpin's peak
/// RSS (`VmHWM`, read every 2 ms as `TracedRunBench` does) at the bounds crpin sets —
/// `compare` at its cap of 10,000 statements, `export slides` and `export asciicast` at 2,000
/// (the asciicast cap; slides has none but the 16 MiB script limit), `explain --from` on one
/// 600 KB line of 27,000 CR4 values, `import trace` on 100,000 KVM events. `--quick` uses a
/// tenth of each, for the smoke test's debug build.
enum MemoryBench {
  /// Each command measured: its figure's name and its arguments after crpin's path.
  static func figures(crpin: String, directory: String, quick: Bool) throws -> [(String, Double)] {
    let scale = quick ? 10 : 1
    let compare = directory + "/compare.crpin"
    try TracedRunBench.writeScript(.toggle, statements: 10_000 / scale - 1, to: compare)
    let narrated = directory + "/narrated.crpin"
    try write(narratedScript(steps: 2_000 / scale), to: narrated)
    let dump = directory + "/dump.txt"
    try write(String(repeating: "CR4: 00000000001006f0 ", count: 27_000 / scale) + "\n", to: dump)
    let trace = directory + "/trace.txt"
    try write(ImportBench.trace(events: 100_000 / scale), to: trace)
    let output = directory + "/out"
    let runs: [(String, [String])] = [
      ("compare_peak_rss_mb", ["compare", compare]),
      ("export_slides_peak_rss_mb", ["export", "slides", narrated, "-o", output]),
      ("export_asciicast_peak_rss_mb", ["export", "asciicast", narrated, "-o", output]),
      ("explain_from_peak_rss_mb", ["explain", "--from", dump]),
      ("import_trace_peak_rss_mb", ["import", "trace", trace]),
    ]
    defer {
      for path in [compare, narrated, dump, trace, output] {
        try? FileManager.default.removeItem(atPath: path)
      }
    }
    return try runs.map { name, arguments in
      (name, try peakMiB(crpin: crpin, arguments: arguments, output: directory + "/stdout"))
    }
  }

  /// `steps` toggles of SMEP, a narration paragraph before every tenth.
  static func narratedScript(steps: Int) -> String {
    var text = ""
    for step in 0..<steps {
      if step % 10 == 0 {
        text += "#> Step \(step): SMEP off and on again, and what the pin does about it.\n"
      }
      text += step % 2 == 0 ? "clear cr4.SMEP\n" : "set cr4.SMEP\n"
    }
    return text
  }

  private static func write(_ text: String, to path: String) throws {
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
      throw TracedRunBench.Failure(description: "cannot write \(path)")
    }
  }

  /// Runs `crpin ARGUMENTS > OUTPUT` and returns its peak RSS in MiB; it must exit 0.
  static func peakMiB(crpin: String, arguments: [String], output: String) throws -> Double {
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let all = [crpin] + arguments
    var argv: [UnsafeMutablePointer<CChar>?] = all.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, crpin, &actions, nil, &argv, environ)
    guard spawned == 0 else { throw TracedRunBench.Failure(description: "cannot start \(crpin): \(spawned)") }
    var status: Int32 = 0
    var usage = rusage()
    var peakKiB = 0
    while true {
      let waited = wait4(pid, &status, WNOHANG, &usage)
      if waited == pid { break }
      guard waited == 0 || errno == EINTR else {
        throw TracedRunBench.Failure(description: "wait4 failed: \(errno)")
      }
      if let kib = TracedRunBench.highWaterKiB(pid) { peakKiB = max(peakKiB, kib) }
      usleep(2000)
    }
    guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
      throw TracedRunBench.Failure(
        description: "crpin \(arguments.joined(separator: " ")) ended with status \(status)")
    }
    return Double(peakKiB > 0 ? peakKiB : usage.ru_maxrss) / 1024
  }
}
