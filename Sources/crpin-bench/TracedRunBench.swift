import Foundation

/// `run_*`: the real `crpin run` with a trace written to a file, as users run it — statements
/// per second and the process's peak RSS, for a script of `set cr4.SMEP` / `clear cr4.SMEP`
/// and for a mixed one.
///
/// The peak RSS is the child's `VmHWM` (`/proc/PID/status`), read every 2 ms until it exits:
/// `wait4`'s `ru_maxrss` cannot be used, because a spawned child's figure starts from the
/// bench's own peak (Linux carries the parent's high-water mark across `vfork` and `exec`).
///
/// Each run writes a new file: the one an earlier run left is removed, and the disk synced,
/// before the clock starts. Opened with `O_TRUNC` inside the timed window, the earlier trace
/// was freed on crpin's time: 0.1 s for a million statements of JSON lines (370 MB, 10–15% of
/// such a run), 2.8 s for ten million (3.9 GB; docs/performance.md, the tenth session).
enum TracedRunBench {
  /// The scripts measured.
  enum Script: String {
    /// Alternating `set cr4.SMEP` / `clear cr4.SMEP` (every other one a #GP).
    case toggle
    /// SMM, nested, MSRs, four vCPUs and `expect` lines.
    case mixed
  }

  /// One run's figures.
  struct Figures {
    /// By the wall clock.
    let statementsPerSecond: Double
    /// By the process's own CPU time (user + system): what the run costs when the machine's
    /// other work slows the wall clock.
    let cpuStatementsPerSecond: Double
    let peakRSSMiB: Double
  }

  /// A failed run.
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// The mixed script's repeating block: it leaves the VM as it found it, and every `expect`
  /// holds. After `vcpus 4`.
  static let mixedBlock = [
    "vcpu 1", "mov cr4, cr4 & ~SMEP", "expect gp", "smi", "mov cr4, cr4 & ~SMEP", "expect ok",
    "set cr4.SMEP", "rsm", "expect ok", "wrmsr CR4_PINNED_HIGH, SMEP | SMAP | UMIP", "expect ok",
    "rdmsr CR4_PINNED_HIGH", "vcpu 2", "vmentry", "clear cr4.SMEP", "expect ok", "set cr4.SMEP",
    "vmexit", "host rdmsr CR0_PINNED_HIGH", "vcpu 0", "mov cr0, cr0 & ~WP", "expect rule pin.cr0.high",
    "mov cr3, 0xb41c000", "vcpu 3", "clear cr4.PKE", "set cr4.PKE",
  ]

  /// Writes a script of `statements` statements (plus one) to `path`, a block at a time.
  static func writeScript(_ script: Script, statements: Int, to path: String) throws {
    guard let file = fopen(path, "w") else { throw Failure(description: "cannot write \(path)") }
    defer { fclose(file) }
    var text = ""
    var written = 0
    func line(_ statement: String) {
      text += statement
      text += "\n"
      written += 1
      if text.utf8.count >= 1 << 20 {
        fputs(text, file)
        text = ""
      }
    }
    switch script {
    case .toggle:
      for index in 0...statements { line(index % 2 == 0 ? "set cr4.SMEP" : "clear cr4.SMEP") }
    case .mixed:
      line("vcpus 4")
      while written <= statements {
        for statement in mixedBlock where written <= statements { line(statement) }
      }
    }
    fputs(text, file)
  }

  /// Runs `crpin run --format FORMAT SCRIPT > OUTPUT` and measures it; the exit status must be 0.
  static func run(crpin: String, script: String, statements: Int, format: String, output: String) throws
    -> Figures
  {
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let arguments = [crpin, "run", "--format", format, script]
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    // The earlier run's trace goes now, not inside the timed window (see the type's comment).
    if unlink(output) != 0, errno != ENOENT {
      throw Failure(description: "cannot remove \(output): \(String(cString: strerror(errno)))")
    }
    sync()
    var pid: pid_t = 0
    let start = monotonicNanoseconds()
    let spawned = posix_spawn(&pid, crpin, &actions, nil, &argv, environ)
    guard spawned == 0 else { throw Failure(description: "cannot start \(crpin): \(spawned)") }
    var status: Int32 = 0
    var usage = rusage()
    var peakKiB = 0
    while true {
      let waited = wait4(pid, &status, WNOHANG, &usage)
      if waited == pid { break }
      guard waited == 0 || errno == EINTR else { throw Failure(description: "wait4 failed: \(errno)") }
      if let kib = highWaterKiB(pid) { peakKiB = max(peakKiB, kib) }
      usleep(2000)
    }
    let elapsed = monotonicNanoseconds() - start
    guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
      throw Failure(description: "crpin run --format \(format) \(script) ended with status \(status)")
    }
    let cpu =
      Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
      + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    return Figures(
      statementsPerSecond: Double(statements) / (Double(elapsed) / 1e9),
      cpuStatementsPerSecond: Double(statements) / max(cpu, 1e-6),
      // A run too short to be read once falls back to `ru_maxrss` (an overestimate).
      peakRSSMiB: Double(peakKiB > 0 ? peakKiB : usage.ru_maxrss) / 1024)
  }

  /// `VmHWM` of process `pid` in KiB, while it runs.
  static func highWaterKiB(_ pid: pid_t) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
      return Int(line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
    }
    return nil
  }

  /// The best of `rounds` runs (the highest rates; the largest peak RSS, which does not vary).
  static func best(
    rounds: Int, crpin: String, script: String, statements: Int, format: String, output: String
  ) throws -> Figures {
    var rate = 0.0
    var cpuRate = 0.0
    var rss = 0.0
    for _ in 0..<max(rounds, 1) {
      let figures = try run(
        crpin: crpin, script: script, statements: statements, format: format, output: output)
      rate = max(rate, figures.statementsPerSecond)
      cpuRate = max(cpuRate, figures.cpuStatementsPerSecond)
      rss = max(rss, figures.peakRSSMiB)
    }
    return Figures(statementsPerSecond: rate, cpuStatementsPerSecond: cpuRate, peakRSSMiB: rss)
  }
}
