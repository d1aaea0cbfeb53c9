import Foundation
import Script
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The built `crpin` run through `/bin/sh`, so a test can close or redirect its descriptors;
/// output goes to files (no pipe can fill up and stall the run).
struct HostileRun {
  /// The exit status, or the signal that ended the process.
  let status: Int32
  /// Whether a signal ended the process (a crash, SIGPIPE).
  let signaled: Bool
  let stdout: String
  let stderr: String

  /// Runs `sh -c command crpin-path script-path`: `"$0"` is crpin and `"$1"` the script,
  /// written from `script` into a fresh temporary directory.
  static func run(_ script: [UInt8], _ command: String = #""$0" run "$1""#) throws -> HostileRun {
    let directory = try TemporaryDirectory()
    let path = directory.path("script.crpin")
    try Data(script).write(to: URL(fileURLWithPath: path))
    return try shell(command, arguments: [path], in: directory)
  }

  /// `run` for a text script.
  static func run(_ script: String, _ command: String = #""$0" run "$1""#) throws -> HostileRun {
    try run(Array(script.utf8), command)
  }

  /// Runs `sh -c command crpin-path arguments…` in `directory`.
  static func shell(_ command: String, arguments: [String], in directory: TemporaryDirectory) throws
    -> HostileRun
  {
    let crpin = try BuiltBinary.require("crpin")
    let outPath = directory.path("stdout")
    let errPath = directory.path("stderr")
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command, crpin.path] + arguments
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    try process.run()
    process.waitUntilExit()
    return HostileRun(
      status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
      stdout: try String(contentsOfFile: outPath, encoding: .utf8),
      stderr: try String(contentsOfFile: errPath, encoding: .utf8))
  }
}

/// A directory under the system's temporary directory, removed when the value goes away.
final class TemporaryDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("crpin-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// The path of `name` in the directory.
  func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// Hostile input to `crpin run`, one test each: a clear message and the documented exit status
/// (0 ran and every expect held, 1 an expect failed, 2 the script or a path is bad, 3 standard
/// output cannot be written) — never a crash, a hang or a signal.
@Suite("hostile input")
struct HostileInputTests {
  @Test("an empty file: nothing runs, a warning, exit 0")
  func emptyFile() throws {
    let result = try HostileRun.run("")
    #expect(result.status == 0)
    #expect(
      result.stderr.hasSuffix(
        "script.crpin: warning: nothing ran: the script has no statements (only blank lines or comments)\n"))
  }

  @Test("only comments and narration: the same warning, exit 0")
  func onlyComments() throws {
    let result = try HostileRun.run("# a comment\n\n   # another\n#> narration alone\n")
    #expect(result.status == 0)
    #expect(result.stderr.contains("warning: nothing ran"))
  }

  @Test("a 10 MB single line: `line too long` at column 4097, a short excerpt, exit 2")
  func tenMegabyteLine() throws {
    let line = "mov cr4, " + String(repeating: "1|", count: 5_000_000) + "1"
    let result = try HostileRun.run(line)
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "script.crpin:1:4097: error: line too long: a line may have at most 4096 characters"))
    #expect(result.stderr.utf8.count < 1_000, "the excerpt is cut around the column")
  }

  @Test("1,000,000 statements run to the end: every line traced, exit 0", .timeLimit(.minutes(10)))
  // About 25 s in a debug build and 60 s under ASan on an idle 2-core machine; the limit only
  // catches a hang.
  func millionStatements() throws {
    let cycle = ["mov cr3, 0xb41c000", "expect ok", "vcpu 0", "expect cr4 == 0x360ef0"]
    let script = (0..<1_000_000).map { cycle[$0 % cycle.count] }.joined(separator: "\n") + "\n"
    let result = try HostileRun.run(script)
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 1 + 1_000_000 + 3, "header, one line a statement, blank, summary, end")
    #expect(lines.dropLast().last == "all 500000 expectations held")
  }

  @Test("NUL bytes: `unexpected character U+0000` with line and column, exit 2")
  func nulBytes() throws {
    let result = try HostileRun.run([UInt8]("boot\nmov cr4, ".utf8) + [0, 0, 0x0a])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains("script.crpin:2:10: error: unexpected character U+0000 (is this a text file?)"))
    #expect(result.stdout.isEmpty, "nothing runs when the script does not parse")
  }

  @Test("invalid UTF-8: the first bad byte, its line, column and offset, exit 2")
  func invalidUTF8() throws {
    let result = try HostileRun.run([UInt8]("boot\nmov cr4, ".utf8) + [0xff, 0xfe, 0x0a])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "script.crpin:2:10: error: invalid UTF-8 (byte 0xff at offset 14): scripts must be UTF-8 text"))
  }

  @Test("CRLF line ends: the same trace as LF; errors point at the right line, no stray \\r")
  func crlf() throws {
    let script = "#> CRLF\nboot\nexpect ok\nclear cr4.SMEP  # comment\nexpect gp\n"
    let unix = try HostileRun.run(script)
    let dos = try HostileRun.run(script.replacingOccurrences(of: "\n", with: "\r\n"))
    #expect(unix.status == 0)
    #expect(dos.status == 0)
    #expect(dos.stdout == unix.stdout)
    let bad = try HostileRun.run("boot\r\nmov cr4, SMPE\r\n")
    #expect(bad.status == 2)
    #expect(
      bad.stderr.hasSuffix(
        ":2:10: error: unknown name 'SMPE'; did you mean 'SMEP'?\nmov cr4, SMPE\n         ^\n"))
    #expect(ScriptLines.split("a\r\nb\r\n").count == 2)
  }

  @Test(
    "numbers past 64 bits: `does not fit in 64 bits`, exit 2; 2^64-1 still fits",
    arguments: ["0x1_0000_0000_0000_0000", "18446744073709551616", "0b1" + String(repeating: "0", count: 64)])
  func numbersPast64Bits(_ number: String) throws {
    let result = try HostileRun.run("mov cr4, \(number)\n")
    #expect(result.status == 2)
    #expect(result.stderr.contains(":1:10: error: number '"))
    #expect(result.stderr.contains("' does not fit in 64 bits"))
    #expect(try HostileRun.run("mov cr4, 0xffff_ffff_ffff_ffff\nexpect gp\n").status == 0)
  }

  @Test("negative numbers: `numbers cannot be negative`, exit 2", arguments: ["mov cr4, -1", "vcpu -1"])
  func negativeNumbers(_ line: String) throws {
    let result = try HostileRun.run(line + "\n")
    #expect(result.status == 2)
    #expect(
      result.stderr.contains("error: unexpected '-': numbers cannot be negative (write ~0 for all ones)"))
  }

  @Test(
    "unknown mnemonics, MSRs, bits, names and rules: `did you mean`, exit 2",
    arguments: [
      ("mvo cr4, 0", "1:1: error: unknown statement 'mvo'; did you mean 'mov'?"),
      (
        "wrmsr CR4_PINNED_HIHG, 0",
        "1:7: error: unknown MSR 'CR4_PINNED_HIHG'; did you mean 'CR4_PINNED_HIGH'?"
      ),
      ("set cr4.SMPE", "1:5: error: unknown bit 'cr4.SMPE'; did you mean 'CR4.SMEP'?"),
      ("mov cr4, cr4 & ~SMPA", "1:17: error: unknown name 'SMPA'; did you mean 'SMAP'?"),
      ("expect rule pin.cr4.hgih", "1:13: error: unknown rule 'pin.cr4.hgih'; did you mean 'pin.cr4.high'?"),
    ])
  func unknownNames(_ line: String, _ message: String) throws {
    let result = try HostileRun.run(line + "\n")
    #expect(result.status == 2)
    #expect(result.stderr.contains("script.crpin:" + message))
  }

  @Test("`vcpu 9999` and a vCPU past the VM's: which vCPUs exist, exit 2")
  func noSuchVCPU() throws {
    let huge = try HostileRun.run("vcpu 9999\n")
    #expect(huge.status == 2)
    #expect(huge.stderr.contains("script.crpin:1:6: error: there is no vCPU 9999: a VM has at most 8 (0-7)"))
    let past = try HostileRun.run("vcpus 2\nvcpu 5\n")
    #expect(past.status == 2)
    #expect(past.stderr.contains("script.crpin:2:6: error: there is no vCPU 5: this VM has 2 (0-1)"))
  }

  @Test("deeply nested parentheses: 32 levels run; 33 or 2,000 are `nested too deeply`, exit 2")
  func deepParentheses() throws {
    func nested(_ depth: Int) -> String {
      "mov cr4, " + String(repeating: "(", count: depth) + "cr4" + String(repeating: ")", count: depth) + "\n"
    }
    #expect(try HostileRun.run(nested(32) + "expect ok\n").status == 0)
    for depth in [33, 2_000] {
      let result = try HostileRun.run(nested(depth))
      #expect(result.status == 2)
      #expect(
        result.stderr.contains(
          "script.crpin:1:42: error: expression nested too deeply: at most 32 parentheses"))
    }
  }

  @Test("a directory as PATH: `is a directory`, exit 2")
  func directory() throws {
    let directory = try TemporaryDirectory()
    let result = try HostileRun.shell(#""$0" run "$1""#, arguments: [directory.url.path], in: directory)
    #expect(result.status == 2)
    #expect(result.stderr == "\(directory.url.path): error: is a directory, not a script\n")
  }

  @Test("a file that cannot be opened as PATH: the system's reason, exit 2")
  func unreadable() throws {
    // Root reads any file whatever its mode, so the unreadable file is a Unix socket (open(2)
    // fails with ENXIO for everyone); a mode-000 file is checked too when not root.
    let directory = try TemporaryDirectory()
    let socketPath = directory.path("socket")
    let socket = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    #expect(socket >= 0)
    defer { close(socket) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { buffer in
      for (index, byte) in socketPath.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
    }
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(socket, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    #expect(bound == 0, "binding a Unix socket in \(directory.url.path)")
    let result = try HostileRun.shell(#""$0" run "$1""#, arguments: [socketPath], in: directory)
    #expect(result.status == 2)
    #expect(result.stderr == "\(socketPath): error: cannot open it for reading: No such device or address\n")

    if geteuid() != 0 {
      let locked = directory.path("locked.crpin")
      _ = FileManager.default.createFile(
        atPath: locked, contents: Data("boot\n".utf8), attributes: [.posixPermissions: 0])
      let denied = try HostileRun.shell(#""$0" run "$1""#, arguments: [locked], in: directory)
      #expect(denied.status == 2)
      #expect(denied.stderr == "\(locked): error: cannot open it for reading: Permission denied\n")
    }
  }

  @Test("a missing file as PATH: `no such file`, exit 2")
  func missing() throws {
    let directory = try TemporaryDirectory()
    let path = directory.path("absent.crpin")
    let result = try HostileRun.shell(#""$0" run "$1""#, arguments: [path], in: directory)
    #expect(result.status == 2)
    #expect(result.stderr == "\(path): error: no such file\n")
  }

  @Test("a script over 16 MiB runs (the file is read as a stream, no size cap), from a file and stdin")
  func largerThanSixteenMiB() throws {
    let comment = "# " + String(repeating: "padding ", count: 128) + "\n"
    let comments = (17 << 20) / comment.utf8.count + 1
    let script = String(repeating: comment, count: comments) + "set cr4.SMEP\nclear cr4.SMEP\nexpect gp\n"
    #expect(script.utf8.count > 17 << 20)
    for command in [#""$0" run --format jsonl "$1""#, #""$0" run --format jsonl - < "$1""#] {
      let result = try HostileRun.run(script, command)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stderr == "")
      let records = result.stdout.split(separator: "\n")
      #expect(records.count == 2)
      #expect(records.last?.hasPrefix("{\"line\":\(comments + 2),\"op\":\"clear\"") == true)
    }
  }

  @Test("a parse error on the last line of a long script: nothing on stdout, exit 2")
  func parseErrorAtTheEnd() throws {
    let script =
      String(repeating: "set cr4.SMEP\nclear cr4.SMEP\nexpect gp\n", count: 50_000) + "mov cr4, bogus\n"
    for command in [#""$0" run "$1""#, #""$0" run --format jsonl - < "$1""#] {
      let result = try HostileRun.run(script, command)
      #expect(result.status == 2)
      #expect(result.stdout == "")
      #expect(result.stderr.contains(":150001:10: error: "), "\(result.stderr)")
    }
  }

  @Test(
    "a trace of several 1 MiB chunks, handed to the writer thread uncopied, is the record-by-record one",
    arguments: [TraceFormat.text, .jsonl])
  func longTraceThroughTheWriter(format: TraceFormat) throws {
    // 30,000 statements: 3 MB of text, 11 MB of JSON lines.
    let script = String(repeating: "set cr4.SMEP\nclear cr4.SMEP\n", count: 15_000)
    var driver = ScriptDriver(format: format)
    var expected = ""
    _ = ScriptStream.run(TextInput(script), driver: &driver) { expected += $0.text + "\n" }
    // Standard output is a file: the chunked path, with the writer thread.
    let result = try HostileRun.run(script, "exec \"$0\" run --format \(format.rawValue) \"$1\"")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.utf8.count > 3 << 20)
    #expect(result.stdout == expected)
  }

  @Test("stdout is /dev/full: a message and exit 3, not silence, not a crash")
  func stdoutFull() throws {
    let result = try HostileRun.run("boot\nexpect ok\n", #"exec "$0" run "$1" > /dev/full"#)
    #expect(!result.signaled)
    #expect(result.status == 3)
    #expect(result.stderr == "crpin: error: cannot write to standard output: No space left on device\n")
  }

  @Test(
    "stdout is /dev/full under a long trace: the background writer's failure ends the run with exit 3",
    arguments: ["text", "jsonl"])
  func stdoutFullLongTrace(format: String) throws {
    // 40,000 records are several 1 MiB chunks: the failure is found at a hand-off, mid-run.
    let script = String(repeating: "set cr4.SMEP\nclear cr4.SMEP\n", count: 20_000)
    let result = try HostileRun.run(script, "exec \"$0\" run --format \(format) \"$1\" > /dev/full")
    #expect(!result.signaled)
    #expect(result.status == 3)
    #expect(result.stderr == "crpin: error: cannot write to standard output: No space left on device\n")
  }

  @Test("stdout is closed: a message and exit 3")
  func stdoutClosed() throws {
    let result = try HostileRun.run("boot\n", #"exec "$0" run "$1" >&-"#)
    #expect(!result.signaled)
    #expect(result.status == 3)
    #expect(result.stderr == "crpin: error: cannot write to standard output: it is closed\n")
  }

  @Test("stdout is a pipe nobody reads: a message and exit 3, not death by SIGPIPE")
  func stdoutBrokenPipe() throws {
    let crpin = try BuiltBinary.require("crpin")
    let directory = try TemporaryDirectory()
    let errPath = directory.path("stderr")
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let pipe = Pipe()
    try pipe.fileHandleForReading.close()
    let process = Process()
    process.executableURL = crpin
    process.arguments = ["scenario", "rop-smep"]
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = pipe
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationReason == .exit)
    #expect(process.terminationStatus == 3)
    #expect(
      try String(contentsOfFile: errPath, encoding: .utf8)
        == "crpin: error: cannot write to standard output: Broken pipe\n")
  }

  @Test("stderr is /dev/full or closed: the documented status all the same, no crash")
  func stderrFull() throws {
    for redirect in ["2> /dev/full", "2>&-"] {
      let result = try HostileRun.run("mov cr4, SMPE\n", #"exec "$0" run "$1" "# + redirect)
      #expect(!result.signaled, "\(redirect)")
      #expect(result.status == 2, "\(redirect)")
    }
  }
}

/// The fuzz target's seed corpus and past findings, replayed without libFuzzer: every input
/// through the same checks as `crpin-fuzz` (Fuzz/crpin-fuzz/Fuzz.swift), and every past finding
/// (Fuzz/regressions) through `crpin run` as well. The fuzzing itself runs in CI: `scripts/reliability fuzz`.
@Suite("fuzz corpus")
struct FuzzCorpusTests {
  static let fuzzDirectory = BuiltBinary.packageRoot.appendingPathComponent("Fuzz")

  static func files(in name: String) -> [String] {
    let directory = fuzzDirectory.appendingPathComponent(name).path
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted().map { directory + "/" + $0 }
  }

  @Test("every built-in scenario is a seed (crpin-fuzz --scenarios Fuzz/corpus adds new ones)")
  func scenariosSeeded() {
    let seeds = Set(Self.files(in: "corpus").map { URL(fileURLWithPath: $0).lastPathComponent })
    let missing = Scenario.all.map(\.id).filter { !seeds.contains("scenario-\($0).crpin") }
    let fix = "after `swift build`, run `.build/debug/crpin-fuzz --scenarios Fuzz/corpus`; commit the files"
    #expect(missing.isEmpty, "Fuzz/corpus lacks the scenarios \(missing.joined(separator: ", ")): \(fix)")
  }

  @Test("the corpus and every past finding pass the fuzz target's checks; findings run in crpin too")
  func replay() throws {
    let fuzzer = try BuiltBinary.require("crpin-fuzz")
    let corpus = Self.files(in: "corpus")
    let regressions = Self.files(in: "regressions")
    #expect(corpus.count > Scenario.all.count)
    let process = Process()
    process.executableURL = fuzzer
    process.arguments = [
      Self.fuzzDirectory.appendingPathComponent("corpus").path,
      Self.fuzzDirectory.appendingPathComponent("regressions").path,
    ]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationReason == .exit)
    #expect(process.terminationStatus == 0)
    #expect(text == "\(corpus.count + regressions.count) inputs ran\n")

    for path in regressions {
      let directory = try TemporaryDirectory()
      let result = try HostileRun.shell(#""$0" run "$1""#, arguments: [path], in: directory)
      #expect(!result.signaled, "crpin run \(path)")
      #expect([0, 1, 2].contains(result.status), "crpin run \(path)")
    }
  }
}

/// Files crpin writes replace the old file whole or not at all.
@Suite("files crpin writes")
struct WrittenFileTests {
  @Test("export: a fresh temporary file, renamed over FILE; a user's own FILE.tmp is left alone")
  func exportTemporaryFile() throws {
    let directory = try TemporaryDirectory()
    let output = directory.path("slides.md")
    try Data("mine\n".utf8).write(to: URL(fileURLWithPath: output + ".tmp"))
    try Data("old\n".utf8).write(to: URL(fileURLWithPath: output))
    let result = try HostileRun.shell(
      #""$0" export slides rop-smep -o "$1""#, arguments: [output], in: directory)
    #expect(result.status == 0)
    #expect(try String(contentsOfFile: output + ".tmp", encoding: .utf8) == "mine\n")
    #expect(try String(contentsOfFile: output, encoding: .utf8).hasPrefix("---\nmarp: true\n---\n\n# "))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
      .filter { $0.hasPrefix("slides.md.tmp-") }
    #expect(leftovers.isEmpty, "no temporary file is left behind")
  }

  @Test("export into a missing directory: exit 2, the reason, nothing written")
  func exportMissingDirectory() throws {
    let directory = try TemporaryDirectory()
    let output = directory.path("absent/slides.md")
    let result = try HostileRun.shell(
      #""$0" export slides rop-smep -o "$1""#, arguments: [output], in: directory)
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "\(output): error: cannot create a temporary file next to it: No such file or directory"))
  }
}
