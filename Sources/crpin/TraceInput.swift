#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import ArgumentParser
import Engine
import Script

/// Reading a KVM text trace for `crpin import trace` and `crpin check trace`: the bytes (a file
/// or standard input), then `TraceReader`; every problem reported as `PATH: error: …` (status 2)
/// and each malformed KVM event line as a `PATH:LINE: warning: …`.
enum TraceInput {
  /// The largest trace read: 1 GiB (about 6 million events).
  static let maxBytes = 1 << 30

  /// The trace at `path` (`-` for standard input) and the path as messages show it; `nil` after
  /// reporting why not.
  static func read(_ path: String) -> (KVMTrace, String)? {
    let display = InputFile.displayPath(path)
    let bytes: [UInt8]
    do {
      bytes = try InputFile.bytes(path, maxBytes: maxBytes, noun: "a trace")
    } catch {
      Console.error(error.message)
      return nil
    }
    switch TraceReader.read(bytes) {
    case .failure(let error):
      Console.error("\(display): error: \(error.message)")
      return nil
    case .success(let trace):
      for problem in trace.malformed {
        Console.error(
          "\(display):\(problem.line): warning: a \(problem.event) line not in a known format, skipped "
            + "(expected \(problem.expected))")
      }
      return (trace, display)
    }
  }
}

/// A mechanism named on the command line (`--mechanism heki`).
struct MechanismArgument: ExpressibleByArgument {
  let mechanism: Mechanism

  init?(argument: String) {
    guard let mechanism = Mechanism(rawValue: argument.lowercased()) else { return nil }
    self.mechanism = mechanism
  }

  static var allValueStrings: [String] { Mechanism.allCases.map(\.rawValue) }
}

/// Where `crpin import trace -o PATH` writes: a regular file (or a new one) is replaced
/// atomically (`AtomicFile`); anything else that exists — `/dev/null`, a FIFO, a terminal — is
/// opened and written, never renamed over.
enum ScriptOutput {
  static func write(_ text: String, to path: String) throws(AtomicFile.Failure) {
    var status = stat()
    guard stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG else {
      try AtomicFile.write(text, to: path)
      return
    }
    let fd = open(path, O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else {
      throw AtomicFile.Failure(
        message: "\(path): error: cannot open it for writing: \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else {
        throw AtomicFile.Failure(
          message: "\(path): error: cannot write it: \(String(cString: strerror(errno)))")
      }
      offset += count
    }
  }

  private static func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.write(fd, buffer, count)
    #else
      Darwin.write(fd, buffer, count)
    #endif
  }
}
