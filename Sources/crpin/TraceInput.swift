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
