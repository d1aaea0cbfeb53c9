import Engine

/// A crpin script written from a KVM trace, with what is needed to map its lines back to the
/// trace (`crpin check trace`).
public struct ImportedScript: Sendable {
  /// The script, ready for `crpin run`/`compare`/`tui --scenario`.
  public let text: String
  /// For each script line (1-based) that replays a traced event: the event's index in
  /// `KVMTrace.events`.
  public let eventOfLine: [Int: Int]
  /// The phase of each event of `KVMTrace.events`.
  public let phases: [TracePhase]
  /// The trace's own outcome of each event that has one (`ok`, `gp`, `ud`), by event index.
  public let traceOutcome: [Int: String]
  /// What the reader should know about the trace's completeness, one sentence each.
  public let notes: [String]
  /// The number of statements that replay events.
  public let replayed: Int
}

/// How the importer turns a trace into a script (README "Importing KVM traces").
public struct TraceImportOptions: Sendable {
  /// The path to name in the header (`<stdin>` for standard input).
  public var source: String
  /// A mechanism to replay under with `crpin run` (`option mechanism M`, then every vCPU
  /// booted again); `nil` leaves the mechanism in force (kvm-2020 for `run`, each column's for
  /// `compare`).
  public var mechanism: Mechanism?

  /// Options for a trace read from `source`.
  public init(source: String, mechanism: Mechanism? = nil) {
    self.source = source
    self.mechanism = mechanism
  }
}
