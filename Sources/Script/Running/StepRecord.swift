import Engine

/// What one statement did when it ran (or would do, from `Session.preview`).
public struct StepRecord: Sendable {
  /// The 1-based line number.
  public let line: Int
  /// The statement as written, trimmed, without its comment.
  public let text: String
  /// The vCPU selected when it ran (for `vcpu N`: the newly selected one).
  public let vcpu: Int
  /// The action performed, with its values evaluated; `nil` for `vcpu`, `vcpus` and `expect`.
  public let action: Action?
  /// What the engine reported; `nil` when no action ran.
  public let outcome: Outcome?
  /// For `expect` lines: whether it held.
  public let expectation: ExpectationResult?
  /// The operation's name, as JSON lines report it in `op`: `mov`, `host wrmsr`, `vcpu`.
  public let op: String
  /// Whether the statement computed its value (an expression, `set`/`clear`), so a trace shows
  /// the action as evaluated; nil when the record was built outside a run (then the trace
  /// parses `text` again to know).
  let computesValue: Bool?

  /// A record with every field given.
  public init(
    line: Int, text: String, vcpu: Int, action: Action?, outcome: Outcome?,
    expectation: ExpectationResult?, op: String
  ) {
    self.line = line
    self.text = text
    self.vcpu = vcpu
    self.action = action
    self.outcome = outcome
    self.expectation = expectation
    self.op = op
    computesValue = nil
  }

  /// A record from a run, which knows whether its statement computed a value.
  init(
    line: Int, text: String, vcpu: Int, action: Action?, outcome: Outcome?,
    expectation: ExpectationResult?, op: String, computesValue: Bool
  ) {
    self.line = line
    self.text = text
    self.vcpu = vcpu
    self.action = action
    self.outcome = outcome
    self.expectation = expectation
    self.op = op
    self.computesValue = computesValue
  }

  /// Whether this is the record of an `expect` line.
  public var isExpectation: Bool { expectation != nil }
}
