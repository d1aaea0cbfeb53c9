import Foundation
import Testing

/// `crpin import trace` and `crpin check trace` through the built binary: exit statuses,
/// messages, the written script, and the round trip through `crpin run` and `crpin compare`.
@Suite("crpin import/check trace binary")
struct TraceCLITests {
  private func crpin(_ arguments: [String], stdin: String = "") throws -> (
    status: Int32, out: String, err: String
  ) {
    try BuiltBinary.run(arguments, stdin: stdin)
  }

  private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "crpin-trace-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test("import trace -: the script on stdout, a summary on stderr, status 0")
  func importStdin() throws {
    let result = try crpin(["import", "trace", "-"], stdin: TraceFixtures.mathias)
    #expect(result.status == 0)
    #expect(result.out.hasPrefix("# Imported by `crpin import trace` from <stdin> (raw ftrace):\n"))
    #expect(
      result.out.contains("\nmov cr4, 0xb0  # 1404.389488 rip 0xffffffff810000a0 (line 5)\nexpect[none] ok\n")
    )
    #expect(
      result.err
        == "<stdin>: raw ftrace, 17 KVM events read, 5 replayed; 3 lines not used: kvm_cpuid 1, "
        + "kvm_emulate_insn 1, kvm_mmu_walker_error 1\n")
  }

  @Test("import → run (--mechanism none) and import → compare reproduce the trace's outcomes")
  func roundTrip() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let trace = directory.appendingPathComponent("boot.txt")
    try Data(TraceFixtures.boot.utf8).write(to: trace)
    let replay = directory.appendingPathComponent("replay.crpin")
    #expect(try crpin(["import", "trace", trace.path, "--mechanism", "none", "-o", replay.path]).status == 0)
    let run = try crpin(["run", replay.path])
    #expect(run.status == 0, "\(run.err)")
    #expect(run.out.hasSuffix("all 6 expectations held\n"))
    let plain = directory.appendingPathComponent("plain.crpin")
    #expect(try crpin(["import", "trace", trace.path, "-o", plain.path]).status == 0)
    let compare = try crpin(["compare", plain.path])
    #expect(compare.status == 0, "\(compare.err)")
    #expect(compare.out.contains("all 6 expect[…] checks held"))
    // Under the default mechanism (kvm-2020) the kexec-like write is refused: `run` shows it.
    let underDefault = try crpin(["run", plain.path])
    #expect(underDefault.status == 0)
    #expect(underDefault.out.contains("mov cr0, 0x80040033"))
    #expect(underDefault.out.contains("pin.cr0.high"))
  }

  @Test("check trace: status 1 when a design breaks the guest, 0 when none checked does")
  func checkStatus() throws {
    let all = try crpin(["check", "trace", "-"], stdin: TraceFixtures.mathias)
    #expect(all.status == 1)
    #expect(all.out.contains("CPU bring-up: 5 actions on vCPU 1, 2 refused or changed"))
    #expect(all.out.contains("  - CR0.WP: the trace shows no CR0 write that toggles only WP."))
    let kvm = try crpin(["check", "trace", "-", "--mechanism", "kvm-2020"], stdin: TraceFixtures.mathias)
    #expect(kvm.status == 0)
    #expect(kvm.out.contains("  kvm-2020  none: every action stands as in the trace"))
    #expect(
      try crpin(["check", "trace", "-", "--mechanism", "nope"], stdin: TraceFixtures.mathias).status == 2)
  }

  @Test(
    "bad input: a clear message, status 2",
    arguments: [
      ("", "<stdin>: error: the trace is empty"),
      ("\u{0}\u{1}junk", "<stdin>: error: not a text trace (byte 0x00 at offset 0)"),
      (" bash-1 [000] ..... 1.000: sched_switch: x\n", "<stdin>: error: no KVM events in 1 line"),
    ])
  func badInput(_ input: String, _ message: String) throws {
    for command in ["import", "check"] {
      let result = try crpin([command, "trace", "-"], stdin: input)
      #expect(result.status == 2)
      #expect(result.err.hasPrefix(message))
      #expect(result.out.isEmpty)
    }
  }

  @Test("a missing file or a directory: status 2")
  func missingFile() throws {
    let missing = try crpin(["import", "trace", "/nonexistent/trace.txt"])
    #expect(missing.status == 2 && missing.err == "/nonexistent/trace.txt: error: no such file\n")
    let directory = try crpin(["check", "trace", "/"])
    #expect(directory.status == 2 && directory.err == "/: error: is a directory, not a trace\n")
  }

  @Test("a malformed KVM event line is a warning with its line number; the import goes on")
  func malformedWarning() throws {
    var lines = TraceFixtures.mathias.split(separator: "\n").map(String.init)
    lines[4] = " qemu-system-x86-8397    [002] .....  1404.389488: kvm_cr: CAN'T FIND FIELD \"cr\""
    let result = try crpin(["import", "trace", "-"], stdin: lines.joined(separator: "\n"))
    #expect(result.status == 0)
    #expect(
      result.err.hasPrefix(
        "<stdin>:5: warning: a kvm_cr line not in a known format, skipped (expected `cr_write N = 0xVALUE`"))
  }

  @Test(
    "-o onto something that is not a regular file (a FIFO here, /dev/null in life) writes into it, never renames over it"
  )
  func outputToFIFO() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let fifo = directory.appendingPathComponent("script.fifo").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let reader = open(fifo, O_RDONLY | O_NONBLOCK)
    #expect(reader >= 0)
    defer { close(reader) }
    let result = try crpin(["import", "trace", "-", "-o", fifo], stdin: TraceFixtures.mathias)
    #expect(result.status == 0)
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    let count = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
    #expect(count > 0)
    #expect(
      String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).hasPrefix(
        "# Imported by `crpin import trace`"))
    var status = stat()
    #expect(stat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
  }
}
