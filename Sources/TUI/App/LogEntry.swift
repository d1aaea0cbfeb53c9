import Engine
import Script

/// One line of the event log: an action with who took it and how it ended, or a note from
/// the TUI itself (undo, a scenario starting).
public struct LogEntry: Equatable, Sendable {
  /// A follow-up line under the entry.
  public struct Detail: Equatable, Sendable {
    /// What a detail line says, for the views that pick lines out.
    public enum Kind: Equatable, Sendable {
      /// A rule the action tripped, with its sentence.
      case rule(RuleID)
      /// The result of an `expect` line under the action it checks: `true` held, `false`
      /// failed, `nil` skipped.
      case check(holds: Bool?)
      /// Anything else: changes, forced bits, failed sub-steps, notes.
      case other
    }

    /// The text.
    public var text: String
    /// How it is drawn.
    public var role: Role
    /// What it says.
    public var kind: Kind

    /// A detail line in `role`.
    public init(_ text: String, _ role: Role, kind: Kind = .other) {
      self.text = text
      self.role = role
      self.kind = kind
    }
  }

  /// Sequential number, from 1.
  public var number: Int
  /// The vCPU it ran on, or `nil` for TUI notes.
  public var vcpu: Int?
  /// Who wrote it: an action's actor, the script, an `expect` check, or the TUI's own note.
  public enum Source: Equatable, Sendable {
    /// An action's actor (`guest`, `host`, `kernel`, `VTL1`, `SMM`, `L1`, `L2`).
    case actor(Actor)
    /// A statement without an action (`vcpu 1`).
    case script
    /// An `expect` line.
    case check
    /// A note from the TUI (undo, a scenario starting).
    case tui

    /// How the log writes it.
    public var name: String {
      switch self {
      case .actor(let actor): actor.name
      case .script: "script"
      case .check: "check"
      case .tui: "tui"
      }
    }
  }

  /// Who wrote it.
  public var actor: Source
  /// The statement in the script language, or the note.
  public var statement: String
  /// How the action ended; `nil` for notes and statements without an action.
  public var outcome: OutcomeKind?
  /// The rules the action tripped.
  public var rules: [RuleID]
  /// The value read, for RDMSR.
  public var value: UInt64?
  /// For an `expect` line: whether it held.
  public var holds: Bool?
  /// Changes, forced bits, failed sub-steps, notes, expectation results.
  public var details: [Detail]
  /// For the first entry of a scenario step: the step's number as the TUI counts it
  /// (`step 3/9`), drawn as a line above the entry.
  public var scenarioStep: String?
  /// With a real KVM (`crpin tui --kvm`): what the entry's statements did on the real vCPU.
  public var real: [RealKVMVerdict] = []

  /// An entry with everything given.
  public init(
    number: Int, vcpu: Int?, actor: Source, statement: String, outcome: OutcomeKind? = nil,
    rules: [RuleID] = [], value: UInt64? = nil, holds: Bool? = nil, details: [Detail] = []
  ) {
    self.holds = holds
    self.number = number
    self.vcpu = vcpu
    self.actor = actor
    self.statement = statement
    self.outcome = outcome
    self.rules = rules
    self.value = value
    self.details = details
  }
}

extension LogEntry {
  /// The entry for a statement the script session ran: an action with its outcome, an
  /// `expect` with its verdict, or a `vcpu`/`vcpus` line.
  static func forRecord(_ record: StepRecord, number: Int) -> LogEntry {
    var entry = LogEntry(
      number: number, vcpu: record.vcpu, actor: record.action.map { .actor($0.actor) } ?? .script,
      statement: record.text)
    if let outcome = record.outcome {
      entry.outcome = outcome.kind
      entry.rules = outcome.ruleIDs
      entry.value = outcome.value
      entry.details = details(of: outcome, vcpu: record.vcpu)
    }
    if let expectation = record.expectation {
      entry.actor = .check
      entry.holds = expectation.skipped ? nil : expectation.holds
      if expectation.skipped { entry.details.append(Detail("skipped: " + expectation.actual, .dim)) }
      if !expectation.holds {
        entry.details.append(Detail(expectation.message, .alarm))
      }
    }
    return entry
  }

  /// The follow-up lines of an outcome: what changed, forced bits, failed steps, notes.
  static func details(of outcome: Outcome, vcpu: Int) -> [Detail] {
    var details: [Detail] = []
    let changes = outcome.changes.map { change in
      (change.vcpu.map { $0 == vcpu ? "" : "v\($0) " } ?? "") + change.description
    }
    if !changes.isEmpty { details.append(Detail(changes.joined(separator: ", "), .normal)) }
    if let forced = outcome.forced, forced.cr0 | forced.cr4 != 0 {
      var parts: [String] = []
      if forced.cr0 != 0 { parts.append(BitCatalog.names(in: forced.cr0, of: .cr0)) }
      if forced.cr4 != 0 { parts.append(BitCatalog.names(in: forced.cr4, of: .cr4)) }
      details.append(Detail("forced by KVM: " + parts.joined(separator: ", "), .warning))
    }
    for step in outcome.steps where step.kind.isFailure {
      let ignored = step.failureIgnored ? " (ignored)" : ""
      let rules = step.rules.map(\.id.rawValue).joined(separator: ", ")
      details.append(
        Detail(
          "step \(StatementText.of(step, in: outcome)) (\(step.context)) → \(step.kind.display)\(ignored) \(rules)",
          step.failureIgnored ? .warning : .alarm))
    }
    for rule in outcome.rules {
      details.append(Detail("\(rule.id.rawValue): \(rule.message)", .rule, kind: .rule(rule.id)))
    }
    for note in outcome.notes { details.append(Detail(note, .warning)) }
    // A composite action can meet the same rule or note in two of its sub-steps (an RSM into
    // L2 skips the pin check twice): each is said once.
    var seen = Set<String>()
    return details.filter { seen.insert($0.text).inserted }
  }
}
