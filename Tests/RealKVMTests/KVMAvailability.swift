import Foundation
import Testing

@testable import RealKVM

/// Whether this machine has /dev/kvm. Without it the real-KVM tests say so and run nothing —
/// except under CI (`CRPIN_CI_EXTRA=1`), where a missing /dev/kvm fails the run.
enum KVMAvailability {
  static var present: Bool { FileManager.default.fileExists(atPath: "/dev/kvm") }

  /// A real vCPU, or nil (after saying why) when this machine has no /dev/kvm.
  static func vcpu(sourceLocation: SourceLocation = #_sourceLocation) throws -> RealVCPU? {
    guard present else {
      if ProcessInfo.processInfo.environment["CRPIN_CI_EXTRA"] == "1" {
        Issue.record(
          "/dev/kvm is missing: CI (CRPIN_CI_EXTRA=1) needs it for the real-KVM tests",
          sourceLocation: sourceLocation)
      } else {
        print("note: /dev/kvm is missing on this machine: this real-KVM test ran nothing")
      }
      return nil
    }
    return try RealVCPU()
  }
}

/// The crpin binary (`$CRPIN_BINARY` or `.build/debug/crpin`; `swift build` first), run to the end.
enum Crpin {
  struct Result {
    let status: Int32
    let output: String
    let errors: String
  }

  static var path: String {
    if let override = ProcessInfo.processInfo.environment["CRPIN_BINARY"], !override.isEmpty {
      return override
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent(".build/debug/crpin").path
  }

  /// Runs crpin with `arguments` and `script` in a temporary file named by `{}` in them;
  /// `launcher` (e.g. `setpriv …`) runs crpin when given.
  static func run(
    _ arguments: [String], script: String = "", environment: [String: String] = [:], launcher: [String] = []
  ) throws -> Result {
    #expect(
      FileManager.default.isExecutableFile(atPath: path), "no crpin at \(path): run `swift build` first")
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "crpin-kvm-\(UUID().uuidString).crpin")
    try script.write(to: file, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    let command = launcher + [path] + arguments.map { $0 == "{}" ? file.path : $0 }
    process.executableURL = URL(fileURLWithPath: command[0])
    process.arguments = Array(command.dropFirst())
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
      errors: String(decoding: err, as: UTF8.self))
  }
}
