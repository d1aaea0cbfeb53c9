import Engine

/// Which real KVM `crpin tui --kvm` holds the model against (the mode line shows it). The
/// real vCPU itself lives in the main loop: `update` asks it to run statements with
/// `Effect.runOnRealKVM`, and `update(_:real:)` brings back what they did.
public struct RealKVMInfo: Equatable, Sendable {
  /// The KVM module behind /dev/kvm: `kvm_intel`, `kvm_amd`, `kvm_pvm`, `unknown`.
  public var module: String
  /// The comparison model's options: the model starts (and every scenario starts) with them,
  /// as `crpin run --kvm` does — `kvm-pin` off unless the host's KVM advertises the patch, the
  /// guest CPUID's features.
  public var options: VMOptions

  /// The real KVM of `module`, compared with the model under `options`.
  public init(module: String, options: VMOptions) {
    self.module = module
    self.options = options
  }

  /// `kvm-pin off` or `kvm-pin on`: the comparison model in a few words.
  public var modelLabel: String { "kvm-pin \(options.kvmPin ? "on" : "off")" }
}

/// Statements for the real vCPU, in the order the model ran them.
public struct RealKVMRequest: Equatable, Sendable {
  /// Why the real vCPU starts again before them, when it does: the history moved (undo, redo,
  /// a timeline jump, a scenario step back) or a scenario started. The real vCPU cannot go
  /// back, so it is reset and booted next to a fresh model and `statements` (the whole
  /// transcript of the point moved to) rebuild the state. nil: they follow the ones before.
  public var restart: String?
  /// The statements: transcript lines, each with the log entry its outcome belongs to.
  public var statements: [RealKVMStatement]

  /// A request of `statements`, after a restart when `restart` says why.
  public init(restart: String? = nil, statements: [RealKVMStatement]) {
    self.restart = restart
    self.statements = statements
  }
}

/// One transcript line for the real vCPU.
public struct RealKVMStatement: Equatable, Sendable {
  /// The statement, as the transcript has it.
  public var text: String
  /// The number of the log entry to annotate with the real outcome; nil when nothing is to be
  /// annotated (a `vcpu` line, a replayed statement whose entry already says it).
  public var entry: Int?

  /// `text`, annotating entry `entry`.
  public init(_ text: String, entry: Int?) {
    self.text = text
    self.entry = entry
  }
}

/// What the real vCPU did with a request.
public struct RealKVMReport: Equatable, Sendable {
  /// The verdicts for log entries, in order.
  public var results: [RealKVMResult]
  /// A line for the key bar (a restart: how many statements were replayed), if any.
  public var message: String?
  /// Whether `message` reports a problem.
  public var isError: Bool

  /// A report of `results`, with a key-bar `message`.
  public init(results: [RealKVMResult], message: String? = nil, isError: Bool = false) {
    self.results = results
    self.message = message
    self.isError = isError
  }
}

/// The real KVM's verdict on one statement of log entry `entry`.
public struct RealKVMResult: Equatable, Sendable {
  /// The log entry's number.
  public var entry: Int
  /// What the real vCPU did, and whether it agrees.
  public var verdict: RealKVMVerdict

  /// The verdict for entry `entry`.
  public init(entry: Int, verdict: RealKVMVerdict) {
    self.entry = entry
    self.verdict = verdict
  }
}

/// What one statement did on the real vCPU, held against the model.
public struct RealKVMVerdict: Equatable, Sendable {
  /// Whether the model and the real KVM agree.
  public enum Agreement: Equatable, Sendable {
    /// Same outcome, same registers, same value read.
    case agree
    /// They differ: each difference in a few words, and why if known.
    case differ([String], explanation: Explanation?)
    /// The real KVM cannot run it here (the reason).
    case notRun(String)
  }

  /// Why a difference is not an error of the model; nil in `differ` means unexplained.
  public enum Explanation: Equatable, Sendable {
    /// A known property of this host's KVM: its id and what it does.
    case hostProperty(id: String, summary: String)
    /// The two were already apart before it.
    case followsEarlierDifference
  }

  /// The statement it ran (entries of several statements say which).
  public var statement: String
  /// The real outcome in a word or two: `ok`, `#GP`, `rejected`, `ok = 0xd01`.
  public var outcome: String
  /// Whether it agrees with the model.
  public var agreement: Agreement

  /// The real KVM ran `statement` to `outcome`, with `agreement`.
  public init(statement: String, outcome: String, agreement: Agreement) {
    self.statement = statement
    self.outcome = outcome
    self.agreement = agreement
  }
}

/// Applies what the real vCPU did: each verdict joins its log entry (if the log still keeps
/// it), and the report's message goes to the key bar.
public func update(_ state: inout AppState, real report: RealKVMReport) -> [Effect] {
  state.annotate(report)
  return state.takeRealKVMEffects()
}

extension AppState {
  /// The requests `update` made for the real vCPU, as effects, in order; the queue empties.
  /// The main loop calls it once after start-up (the free `update` functions call it).
  public mutating func takeRealKVMEffects() -> [Effect] {
    guard !realKVMQueue.isEmpty else { return [] }
    defer { realKVMQueue = [] }
    return realKVMQueue.map(Effect.runOnRealKVM)
  }

  /// Joins `report`'s verdicts to their log entries.
  mutating func annotate(_ report: RealKVMReport) {
    for result in report.results {
      let index = result.entry - 1 - droppedLogEntries
      guard log.indices.contains(index) else { continue }
      log[index].real.append(result.verdict)
    }
    // A jump's own message (where the history is now; the mode line says it too) stays after
    // the real vCPU's.
    if let text = report.message {
      let keep = message.map { !report.isError && !$0.isError } ?? false
      message = StatusMessage(keep ? text + " · " + (message?.text ?? "") : text, isError: report.isError)
    }
  }

  /// With a real KVM: the statements `pending` added, each with the entry it was logged
  /// under (`entries`: by record), go to the real vCPU.
  mutating func followOnRealKVM(_ pending: PendingStep, entries: [Int?]) {
    guard realKVM != nil else { return }
    let statements = pending.lines.indices.map { index in
      RealKVMStatement(
        pending.lines[index],
        entry: pending.recordOfLine.indices.contains(index)
          ? pending.recordOfLine[index].flatMap { entries.indices.contains($0) ? entries[$0] : nil } : nil)
    }
    realKVMQueue.append(RealKVMRequest(statements: statements))
  }

  /// With a real KVM: the history moved to the current point (or a fresh transcript began),
  /// so the real vCPU starts again and replays the point's transcript.
  mutating func restartRealKVM(because reason: String) {
    guard realKVM != nil else { return }
    let statements = transcript.lines.map { RealKVMStatement($0, entry: nil) }
    realKVMQueue.append(RealKVMRequest(restart: reason, statements: statements))
  }
}
