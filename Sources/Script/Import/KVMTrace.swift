/// The tool that printed a text trace, as the importer detected it.
public enum TraceDialect: String, Sendable {
  /// `/sys/kernel/tracing/trace` (a flags column, or ftrace's `# tracer:` header).
  case rawFtrace = "raw ftrace"
  /// `trace-cmd report` (no flags column, its `cpus=` header, or the KVM plugin's formats).
  case traceCmd = "trace-cmd report"
  /// `perf script` (events named `kvm:kvm_exit`).
  case perfScript = "perf script"
}

/// A KVM event of a trace: where it is, which vCPU it belongs to, and what it says.
public struct TracedEvent: Sendable, Equatable {
  /// The 1-based line of the trace.
  public let line: Int
  /// The vCPU: named by the event, or by the nearest `kvm_exit`/`kvm_entry` of the same host
  /// thread (before it, else after it), else 0.
  public internal(set) var vcpu: Int
  /// The host thread (PID/TID column) or, when the trace has none, the host CPU (`-1 - cpu`).
  public let thread: Int
  /// The timestamp as printed.
  public let timestamp: String
  /// What happened.
  public let event: KVMEvent
}

/// A text trace read whole: its KVM events in order, and what was not used.
public struct KVMTrace: Sendable {
  /// The tool that printed it.
  public let dialect: TraceDialect
  /// Every KVM event the importer reads, in trace order, vCPUs attributed.
  public let events: [TracedEvent]
  /// The number of lines.
  public let lineCount: Int
  /// Lines not used, by what they were: an event's name, `header or comment`, `blank`,
  /// `not an event line`, `malformed kvm_cr` …
  public let unused: [String: Int]
  /// Each KVM event line the importer could not decode: its line, and what was expected.
  public let malformed: [(line: Int, event: String, expected: String)]
  /// Whether some events' vCPU could not be told from the trace (they went to vCPU 0).
  public let guessedVCPU: Bool

  /// How many lines were not used, over every kind.
  public var unusedCount: Int { unused.values.reduce(0, +) }

  /// `12 lines not used: kvm_cpuid 1, kvm_emulate_insn 1, …` (most frequent first), or `nil`.
  public var unusedSummary: String? {
    guard unusedCount > 0 else { return nil }
    let kinds = unused.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
      .map { "\($0.key) \($0.value)" }
    return "\(Plural.count(unusedCount, "line")) not used: " + kinds.joined(separator: ", ")
  }
}

/// Why a file is not a KVM trace (`crpin import`/`check` exit 2 with this message).
public struct TraceInputError: Error, Equatable, Sendable {
  /// One sentence, without the path.
  public let message: String
}

/// `1 line`, `2 lines`.
enum Plural {
  static func count(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
}
