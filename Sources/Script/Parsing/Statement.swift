import Engine

/// One statement of a script, parsed and checked but not yet evaluated: expressions are
/// evaluated when it runs.
public struct ParsedStatement: Equatable, Sendable {
  /// The 1-based line number.
  public let line: Int
  /// The statement as written, trimmed, without its comment (for narration: the narration).
  public let text: String
  /// What it does.
  public let command: Command
  /// The column of the statement's operand (the N of `vcpu N`), for errors found later.
  let operandColumn: Int

  init(line: Int, text: String, command: Command, operandColumn: Int = 1) {
    self.line = line
    self.text = text
    self.command = command
    self.operandColumn = operandColumn
  }
}

/// What a statement does.
public enum Command: Equatable, Sendable {
  /// `vcpus N`: a fresh VM with N booted vCPUs (first statement only).
  case vcpus(Int)
  /// `vcpu N`: select vCPU N.
  case selectVCPU(Int)
  /// An action on the VM, its values still to evaluate.
  case action(ActionTemplate)
  /// `expect …`; `expect[heki] …` holds `[.heki]` in `only`: it is checked only while one of
  /// those mechanisms is in force (empty: always).
  case expect(Expectation, only: [Mechanism])
  /// A `#>` narration line: text for the trainer, no effect on the VM.
  case narration(String)

  /// The operation's name, as JSON lines report it in `op`: `mov`, `host wrmsr`, `vcpu`.
  public var op: String {
    switch self {
    case .vcpus: "vcpus"
    case .selectVCPU: "vcpu"
    case .action(let template): template.op
    case .expect: "expect"
    case .narration: "narration"
    }
  }
}

/// A value as written: the expression and the column it starts at (for evaluation errors).
public struct Operand: Equatable, Sendable {
  /// The expression.
  public let expression: Expression
  /// Its 1-based column.
  public let column: Int
}
