import Foundation

/// The TUI measured as a user runs it: the real `crpin` binary in a pseudo-terminal made by
/// util-linux `script`, sized by `LINES`/`COLUMNS`, its output bytes counted as they arrive.
/// `--background dark`: nothing answers the background query (OSC 11) in this pseudo-terminal,
/// so without it every start would wait the query's full 0.2 s; a real terminal answers within
/// a round trip.
final class TerminalBench: @unchecked Sendable {
  /// What the terminal measurements found.
  struct Figures {
    var startupMilliseconds: Double
    var bytesPerToggle: Int
    var peakRSSMegabytes: Double
  }

  enum Failure: Error, CustomStringConvertible {
    case launch(String), noOutput, noProcess

    var description: String {
      switch self {
      case .launch(let why): "could not start crpin under script(1): \(why)"
      case .noOutput: "crpin drew nothing within 10 s"
      case .noProcess: "could not find crpin's process to read its memory"
      }
    }
  }

  private let lock = NSLock()
  private var received = 0
  private var lastByteAt: UInt64 = 0

  /// Starts `crpin tui` at `width`x`height`, measures, and stops it.
  static func run(crpin: String, width: Int, height: Int, actions: Int) throws -> Figures {
    try TerminalBench().measure(crpin: crpin, width: width, height: height, actions: actions)
  }

  private func measure(crpin: String, width: Int, height: Int, actions: Int) throws -> Figures {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.arguments = [
      "-q", "-e", "-c",
      "exec env TERM=xterm-256color LINES=\(height) COLUMNS=\(width) SWIFT_BACKTRACE=interactive=no "
        + "'\(crpin)' tui --background dark",
      "/dev/null",
    ]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    output.fileHandleForReading.readabilityHandler = { [self] handle in
      let count = handle.availableData.count
      lock.withLock {
        received += count
        lastByteAt = monotonicNanoseconds()
      }
    }
    let start = monotonicNanoseconds()
    do { try process.run() } catch { throw Failure.launch("\(error)") }
    defer {
      output.fileHandleForReading.readabilityHandler = nil
      if process.isRunning { process.terminate() }
    }
    try waitForQuiet(after: 0, timeoutSeconds: 10)
    let (firstFrameBytes, firstFrameAt) = lock.withLock { (received, lastByteAt) }
    guard firstFrameBytes > 0 else { throw Failure.noOutput }
    let startup = Double(firstFrameAt - start) / 1e6

    input.fileHandleForWriting.write(Data(" ".utf8))
    try waitForQuiet(after: firstFrameBytes, timeoutSeconds: 5)
    let toggleBytes = lock.withLock { received } - firstFrameBytes

    let keys = (0..<actions).map { $0 % 2 == 0 ? UInt8(ascii: " ") : UInt8(ascii: "l") }
    for chunk in stride(from: 0, to: keys.count, by: 256) {
      input.fileHandleForWriting.write(Data(keys[chunk..<min(chunk + 256, keys.count)]))
    }
    try waitForQuiet(after: lock.withLock { received }, timeoutSeconds: 60)
    guard let rss = peakRSS(childOf: process.processIdentifier) else { throw Failure.noProcess }
    kill(process.processIdentifier, SIGTERM)
    return Figures(startupMilliseconds: startup, bytesPerToggle: toggleBytes, peakRSSMegabytes: rss)
  }

  /// Waits until more than `bytes` have arrived and nothing more came for 300 ms.
  private func waitForQuiet(after bytes: Int, timeoutSeconds: Double) throws {
    let deadline = monotonicNanoseconds() + UInt64(timeoutSeconds * 1e9)
    while monotonicNanoseconds() < deadline {
      usleep(20_000)
      let (count, last) = lock.withLock { (received, lastByteAt) }
      if count > bytes, monotonicNanoseconds() - last > 300_000_000 { return }
    }
    if lock.withLock({ received }) <= bytes { throw Failure.noOutput }
  }

  /// VmHWM of the process `script` started (it `exec`s crpin), in MiB.
  private func peakRSS(childOf parent: Int32) -> Double? {
    let childrenPath = "/proc/\(parent)/task/\(parent)/children"
    guard let children = try? String(contentsOfFile: childrenPath, encoding: .utf8),
      let child = children.split(separator: " ").first,
      let status = try? String(contentsOfFile: "/proc/\(child)/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
      let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
    else { return nil }
    return kilobytes / 1024
  }
}
