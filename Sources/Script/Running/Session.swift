import Engine

/// A VM, the selected vCPU and the last action's outcome: everything a script runs against.
///
/// A value type: `preview` runs a copy. Each `run` parses one line (or takes a parsed
/// statement), evaluates its expressions against the selected vCPU's registers *now*, applies
/// the action and returns what happened.
public struct Session: Sendable {
  /// The VM.
  public var vm: VirtualMachine
  /// The vCPU that statements act on (0-based).
  public var selectedVCPU: Int
  /// What the last action did: what `expect` checks. Only its verdict, rules, notes and value
  /// are kept, not its record: a record's outcome holds the VM, and keeping it would make the
  /// next action's first write copy the vCPU array.
  public private(set) var lastOutcome: LastOutcome?
  /// How many statements (other than narration) have run: `vcpus N` is allowed only at 0.
  public internal(set) var statementsRun: Int

  /// A session on `vm`, vCPU 0 selected. The default VM has one booted, pinned vCPU.
  public init(vm: VirtualMachine = VirtualMachine(bootedWith: 1)) {
    self.vm = vm
    selectedVCPU = 0
    lastOutcome = nil
    statementsRun = 0
  }

  /// Parses and runs one line of the script language. nil for blank/comment lines (including
  /// `#>` narration lines).
  public mutating func run(line: String, lineNumber: Int) throws(ScriptError) -> StepRecord? {
    guard let statement = try StatementParser.parse(line, lineNumber: lineNumber) else { return nil }
    return try run(statement)
  }

  /// What running the line would do, without changing anything (for previews). nil for
  /// blank/comment.
  public func preview(line: String, lineNumber: Int) throws(ScriptError) -> StepRecord? {
    var copy = self
    return try copy.run(line: line, lineNumber: lineNumber)
  }

  /// Runs a parsed statement. nil for narration.
  public mutating func run(_ statement: ParsedStatement) throws(ScriptError) -> StepRecord? {
    let line = statement.line
    let op = statement.command.op
    switch statement.command {
    case .narration:
      return nil
    case .vcpus(let count):
      guard statementsRun == 0 else {
        throw ScriptError(line: line, column: 1, message: Self.vcpusNotFirstMessage)
      }
      vm = VirtualMachine(bootedWith: count, options: vm.options)
      selectedVCPU = 0
      statementsRun += 1
      return StepRecord(
        line: line, text: statement.text, vcpu: 0, action: nil, outcome: nil, expectation: nil, op: op)
    case .selectVCPU(let index):
      guard vm.vcpus.indices.contains(index) else {
        throw ScriptError(
          line: line, column: statement.operandColumn,
          message: Self.noSuchVCPUMessage(index, count: vm.vcpus.count))
      }
      selectedVCPU = index
      statementsRun += 1
      return StepRecord(
        line: line, text: statement.text, vcpu: index, action: nil, outcome: nil, expectation: nil, op: op)
    case .action(let template):
      let vcpu = selectedVCPU
      guard vm.vcpus.indices.contains(vcpu) else {
        throw ScriptError(line: line, column: 1, message: Self.noSuchVCPUMessage(vcpu, count: vm.vcpus.count))
      }
      let action = try template.resolve(in: vm, on: vcpu, line: line)
      let outcome = vm.apply(action, on: vcpu)
      lastOutcome = LastOutcome(outcome)
      statementsRun += 1
      return StepRecord(
        line: line, text: statement.text, vcpu: vcpu, action: action, outcome: outcome,
        expectation: nil, op: op, computesValue: template.computesValue)
    case .expect(let expectation, let only):
      let mechanism = vm.options.mechanism
      let result =
        only.isEmpty || only.contains(mechanism)
        ? try check(expectation, line: line)
        : ExpectationResult(skipped: statement.text, mechanism: mechanism)
      statementsRun += 1
      return StepRecord(
        line: line, text: statement.text, vcpu: selectedVCPU, action: nil, outcome: nil,
        expectation: result, op: op)
    }
  }

  /// Runs `action` on the selected vCPU: the record the line of its statement (`statement(for:)`)
  /// gives, without writing and parsing that line (the TUI's keys act this way).
  public mutating func run(_ action: Action, lineNumber: Int) throws(ScriptError) -> StepRecord {
    let vcpu = selectedVCPU
    guard vm.vcpus.indices.contains(vcpu) else {
      throw ScriptError(
        line: lineNumber, column: 1, message: Self.noSuchVCPUMessage(vcpu, count: vm.vcpus.count))
    }
    let text = statement(for: action)
    statementsRun += 1
    let outcome = vm.apply(action, on: vcpu)
    lastOutcome = LastOutcome(outcome)
    return StepRecord(
      line: lineNumber, text: text, vcpu: vcpu, action: action, outcome: outcome,
      expectation: nil, op: StatementKind(action).op, computesValue: false)
  }

  /// Runs an everyday statement the fast parser read (`FastStatementParser`): the record
  /// `run(_:)` gives for the same line, without building a statement tree.
  @inline(__always)
  mutating func run(_ instruction: FastInstruction, line: Int, text: String, computesValue: Bool)
    throws(ScriptError) -> StepRecord
  {
    if case .expectOutcome(let kind) = instruction {
      let statement = ParsedStatement(line: line, text: text, command: .expect(.outcome(kind), only: []))
      guard let record = try run(statement) else {
        throw ScriptError(line: line, column: 1, message: "internal error: the expect vanished")
      }
      return record
    }
    let vcpu = selectedVCPU
    guard vm.vcpus.indices.contains(vcpu), let action = instruction.action(in: vm, on: vcpu) else {
      throw ScriptError(line: line, column: 1, message: Self.noSuchVCPUMessage(vcpu, count: vm.vcpus.count))
    }
    statementsRun += 1
    let outcome = vm.apply(action, on: vcpu)
    lastOutcome = LastOutcome(outcome)
    return StepRecord(
      line: line, text: text, vcpu: vcpu, action: action, outcome: outcome,
      expectation: nil, op: instruction.op, computesValue: computesValue)
  }

  static let vcpusNotFirstMessage =
    "`vcpus N` must be the first statement: it creates a fresh VM with N booted vCPUs"

  static func noSuchVCPUMessage(_ index: Int, count: Int) -> String {
    "there is no vCPU \(index): this VM has \(count) (\(count == 1 ? "0" : "0-\(count - 1)")); "
      + "size it with `vcpus N` as the first statement"
  }
}

/// What an action did, as far as `expect` reads it (`Session.lastOutcome`): the outcome's
/// verdict, rules, notes and the value it read.
public struct LastOutcome: Equatable, Sendable {
  /// The verdict.
  public let kind: OutcomeKind
  /// The rules that fired, in KVM's check order.
  public let rules: [RuleHit]
  /// The outcome's notes.
  public let notes: [String]
  /// The value read (RDMSR, KVM_GET_MSRS), if any.
  public let value: UInt64?

  /// The parts of `outcome` that `expect` reads.
  init(_ outcome: borrowing Outcome) {
    kind = outcome.kind
    rules = outcome.rules
    notes = outcome.notes
    value = outcome.value
  }
}
