import Foundation
import Testing

/// The binaries the package builds (`crpin`, `crpin-fuzz`): next to the test runner (the same
/// build directory, whatever the scratch path), else under `.build/debug` in the package root
/// found from this file's path.
enum BuiltBinary {
  static let url: URL? = executable(named: "crpin")

  /// The built executable `name`, if it exists.
  static func executable(named name: String) -> URL? {
    let runner = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
    let candidates = [
      runner.deletingLastPathComponent().appendingPathComponent(name),
      packageRoot.appendingPathComponent(".build/debug/" + name),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }

  /// The package's root directory.
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// Runs the built crpin with `arguments`, `stdin` as its input, in `directory` (if given):
  /// its exit status, standard output and standard error.
  static func run(_ arguments: [String], stdin: String = "", in directory: URL? = nil) throws -> (
    status: Int32, out: String, err: String
  ) {
    let process = Process()
    process.executableURL = try require("crpin")
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let input = Pipe()
    let output = Pipe()
    let error = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = error
    try process.run()
    input.fileHandleForWriting.write(Data(stdin.utf8))
    try input.fileHandleForWriting.close()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self)
    )
  }

  /// The built executable `name`, or a failed test saying how to build it (never a skip).
  static func require(_ name: String) throws -> URL {
    try #require(
      executable(named: name),
      "\(name) is not built: run `swift build` before `swift test` (scripts/test does both)")
  }
}

/// A few end-to-end checks of the built binary's exit statuses and error format. They need the
/// built binary (`swift build` first) and fail, not skip, without it; the rest of the suite calls
/// Script directly.
@Suite("crpin binary")
struct CLITests {
  struct Result {
    let status: Int32
    let stdout: String
    let stderr: String
  }

  private func crpin(_ arguments: [String], stdin: String = "") throws -> Result {
    let result = try BuiltBinary.run(arguments, stdin: stdin)
    return Result(status: result.status, stdout: result.out, stderr: result.err)
  }

  @Test("run: 0 when every expect holds, 1 when one fails (named with its line)")
  func expectStatus() throws {
    #expect(try crpin(["run", "-"], stdin: "clear cr4.SMEP\nexpect gp\n").status == 0)
    let failed = try crpin(["run", "-", "--format", "jsonl"], stdin: "clear cr4.SMEP\nexpect ok\n")
    #expect(failed.status == 1)
    #expect(failed.stderr.contains("<stdin>:2: expectation failed: expect ok: expected ok, got #GP"))
    #expect(failed.stdout.hasPrefix("{\"line\":1,"))
  }

  @Test("run: a parse error is PATH:LINE:COL with the line and a caret, exit 2, nothing runs")
  func parseError() throws {
    let result = try crpin(["run", "-"], stdin: "boot\nmov cr4, SMPE\n")
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr
        == "<stdin>:2:10: error: unknown name 'SMPE'; did you mean 'SMEP'?\nmov cr4, SMPE\n         ^\n")
  }

  @Test("run: a missing file, a directory and binary data are errors with status 2")
  func badInput() throws {
    #expect(try crpin(["run", "/nonexistent/script"]).status == 2)
    #expect(try crpin(["run", NSTemporaryDirectory()]).status == 2)
    let garbage = try crpin(["run", "-"], stdin: "boot\n\u{0}\u{1}\u{7f}")
    #expect(garbage.status == 2)
    #expect(garbage.stderr.hasPrefix("<stdin>:2:1: error: unexpected character U+0000"))
  }

  @Test("scenario --source prints a script that crpin run replays to the same trace")
  func scenarioSource() throws {
    let source = try crpin(["scenario", "smm-tamper", "--source"])
    #expect(source.status == 0)
    #expect(source.stdout.hasPrefix("#> "))
    let replayed = try crpin(["run", "-", "--format", "jsonl"], stdin: source.stdout)
    let original = try crpin(["scenario", "smm-tamper", "--format", "jsonl"])
    #expect(replayed.status == 0)
    #expect(!original.stdout.isEmpty)
    #expect(
      replayed.stdout == original.stdout.replacingOccurrences(of: "scenario:smm-tamper", with: "<stdin>"))
  }

  @Test("usage errors exit 2; scenario runs exit 0; an unknown scenario suggests one")
  func usage() throws {
    #expect(try crpin(["run"]).status == 2)
    #expect(try crpin(["run", "-", "--format", "xml"]).status == 2)
    #expect(try crpin(["scenario", "nested-smm"]).status == 0)
    let unknown = try crpin(["scenario", "rop-smap"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("did you mean 'rop-smep'?"))
  }
}
