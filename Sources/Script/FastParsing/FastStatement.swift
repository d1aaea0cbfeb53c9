import Engine

/// The everyday statements in a form that runs without allocating: no tree, no strings, MSR
/// names resolved. Every other statement stays a `ParsedStatement`.
enum FastInstruction: Equatable, Sendable {
  /// `mov crN, EXPR`.
  case mov(ControlRegister, FastValue)
  /// `set BIT` (`on`) or `clear BIT`.
  case setBit(FastBit, on: Bool)
  /// `wrmsr MSR, EXPR`, or `host wrmsr` when `host`.
  case wrmsr(FastMSR, FastValue, host: Bool)
  /// `rdmsr MSR`, or `host rdmsr` when `host`.
  case rdmsr(FastMSR, host: Bool)
  /// `expect ok`, `expect gp`, …: only the previous outcome's kind.
  case expectOutcome(OutcomeKind)

  /// The operation's name, as `Command.op` gives it for the same statement.
  var op: String {
    switch self {
    case .mov: "mov"
    case .setBit(_, let on): on ? "set" : "clear"
    case .wrmsr(_, _, let host): host ? "host wrmsr" : "wrmsr"
    case .rdmsr(_, let host): host ? "host rdmsr" : "rdmsr"
    case .expectOutcome: "expect"
    }
  }

  /// The action on `vm`'s vCPU `index` as it is now: what `ActionTemplate.resolve` gives for
  /// the same statement. nil when the instruction is not an action.
  func action(in vm: VirtualMachine, on index: Int) -> Action? {
    switch self {
    case .mov(let register, let value): return .mov(register, value.value(vm.vcpus[index].registers))
    case .setBit(let bit, let on):
      let current = vm.vcpus[index].registers[bit.register.register]
      return .mov(bit.register, on ? current | bit.mask : current & ~bit.mask)
    case .wrmsr(let msr, let value, let host):
      let number = msr.resolve(under: vm.options.mechanism)
      let data = value.value(vm.vcpus[index].registers)
      return host ? .hostWrmsr(number, data) : .wrmsr(number, data)
    case .rdmsr(let msr, let host):
      let number = msr.resolve(under: vm.options.mechanism)
      return host ? .hostRdmsr(number) : .rdmsr(number)
    case .expectOutcome: return nil
    }
  }
}

/// The statements the fast parser reads that run as general statements (`ParsedStatement`,
/// through `Session.run(_:)`), in plain values.
enum FastCommand: Equatable, Sendable {
  /// `vcpus N`.
  case vcpus(Int)
  /// `vcpu N`.
  case selectVCPU(Int)
  /// An action without operands (`smi`, `vmentry`…).
  case action(Action)
  /// `expect rule ID`.
  case expectRule(RuleID)

  /// The command `StatementParser` gives for the same statement.
  var command: Command {
    switch self {
    case .vcpus(let count): .vcpus(count)
    case .selectVCPU(let index): .selectVCPU(index)
    case .action(let action): .action(.fixed(action))
    case .expectRule(let rule): .expect(.rule(rule), only: [])
    }
  }
}

/// Recognises the everyday statements on bytes. It accepts a line only when `StatementParser`
/// would parse it to the same statement; for every other line (errors included) it returns nil
/// and the line goes to `StatementParser`.
///
/// It reads the actions and `expect OUTCOME` as `FastInstruction`s, and builds the general
/// statement itself (`Command`, run by `Session.run(_:)` unchanged) for `vcpus N`, `vcpu N`,
/// the actions without operands (`smi`, `rsm`, `vmentry`, `vmexit`, `reset`, `boot`, `kexec`,
/// `stac`, `clac`) and `expect rule ID`.
enum FastStatementParser {
  /// What a line holds.
  enum Line: Equatable {
    /// A blank line or a plain comment.
    case blank
    /// An everyday action or `expect OUTCOME`; `computesValue` as `ActionTemplate.computesValue`
    /// gives it for the same statement (an operand other than a plain number, or `set`/`clear`).
    case instruction(FastInstruction, computesValue: Bool)
    /// Another statement: its command, and the column of its second token
    /// (`ParsedStatement.operandColumn`; 1 when it has none).
    case command(FastCommand, operandColumn: Int)
  }

  /// A line read: what it holds, and the bytes of its statement as `ParsedStatement.text` has
  /// them (trimmed, without its comment; empty for a blank line). Plain values only: copying or
  /// dropping one costs no reference counting (a `Command` would be destroyed through its type
  /// metadata, several hundred instructions a line).
  struct Read {
    let line: Line
    let text: Range<Int>
  }

  /// The line `start..<end` of `bytes`.
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, names: inout NameTable)
    -> Read?
  {
    guard end - start <= Lexer.maxLineLength else { return nil }
    var cursor = ByteCursor(bytes: bytes, position: start, end: end)
    cursor.skipBlanks()
    let first = cursor.position
    if first == end { return Read(line: .blank, text: first..<first) }
    if cursor.current == ASCII.hash {
      return cursor.following == ASCII.greater ? nil : Read(line: .blank, text: first..<first)
    }
    guard let keyword = cursor.word(), let line = statement(keyword, &cursor, &names, lineStart: start)
    else { return nil }
    var last = cursor.position
    guard cursor.atStatementEnd() else { return nil }
    while last > first, ASCII.isBlank(bytes[last - 1]) { last -= 1 }
    return Read(line: line, text: first..<last)
  }

  private static func statement(
    _ keyword: Word, _ cursor: inout ByteCursor, _ names: inout NameTable, lineStart: Int
  ) -> Line? {
    guard let key = keyword.key else { return nil }
    switch key {
    case .set, .clear:
      guard let word = cursor.word(), let bit = names.bit(word, in: cursor) else { return nil }
      return .instruction(.setBit(bit, on: key == .set), computesValue: true)
    case .mov:
      guard let word = cursor.word(), let control = NameTable.controlRegister(word),
        cursor.accept(UInt8(ascii: ",")),
        let (value, isNumber) = FastExpressionParser.parseOperand(&cursor, names: &names)
      else { return nil }
      return .instruction(.mov(control, value), computesValue: !isNumber)
    case .expect:
      return expectation(&cursor, &names, lineStart: lineStart)
    case .wrmsr, .rdmsr:
      return msrAccess(keyword, host: false, &cursor, &names)
    case .host:
      guard let verb = cursor.word() else { return nil }
      return msrAccess(verb, host: true, &cursor, &names)
    case .vcpu, .vcpus:
      cursor.skipBlanks()
      let column = cursor.position - lineStart + 1
      guard let value = cursor.number() else { return nil }
      let limit = UInt64(VirtualMachine.maxVCPUs)
      if key == .vcpus {
        guard value >= 1, value <= limit else { return nil }
        return .command(.vcpus(Int(value)), operandColumn: column)
      }
      guard value < limit else { return nil }
      return .command(.selectVCPU(Int(value)), operandColumn: column)
    default:
      guard let action = fixedAction(key) else { return nil }
      return .command(.action(action), operandColumn: 1)
    }
  }

  /// The actions written as one word with no operand.
  private static func fixedAction(_ key: WordKey) -> Action? {
    switch key {
    case .smi: .smi
    case .rsm: .rsm
    case .vmentry: .vmentry
    case .vmexit: .vmexit
    case .reset: .reset
    case .boot: .boot
    case .kexec: .kexec
    case .stac: .stac
    case .clac: .clac
    default: nil
    }
  }

  /// What follows `expect`: an outcome, or `rule ID` (no `[mechanisms]`).
  private static func expectation(_ cursor: inout ByteCursor, _ names: inout NameTable, lineStart: Int)
    -> Line?
  {
    cursor.skipBlanks()
    let column = cursor.position - lineStart + 1
    guard let word = cursor.word() else { return nil }
    if let kind = outcomeKind(word) { return .instruction(.expectOutcome(kind), computesValue: false) }
    guard word.is(.rule), let id = cursor.word(), let rule = names.rule(id, in: cursor) else { return nil }
    return .command(.expectRule(rule), operandColumn: column)
  }

  /// `wrmsr MSR, EXPR` or `rdmsr MSR`, after `host` when `host`.
  private static func msrAccess(
    _ verb: Word, host: Bool, _ cursor: inout ByteCursor, _ names: inout NameTable
  ) -> Line? {
    let write = verb.is(.wrmsr)
    guard write || verb.is(.rdmsr), let msr = msr(&cursor, &names) else { return nil }
    guard write else { return .instruction(.rdmsr(msr, host: host), computesValue: false) }
    guard cursor.accept(UInt8(ascii: ",")),
      let (value, isNumber) = FastExpressionParser.parseOperand(&cursor, names: &names)
    else { return nil }
    return .instruction(.wrmsr(msr, value, host: host), computesValue: !isNumber)
  }

  /// An MSR operand, as `MSRParser` reads it.
  private static func msr(_ cursor: inout ByteCursor, _ names: inout NameTable) -> FastMSR? {
    cursor.skipBlanks()
    if ASCII.isDigit(cursor.current) {
      guard let value = cursor.number(), let number = UInt32(exactly: value) else { return nil }
      return FastMSR(number: number)
    }
    guard let word = cursor.word() else { return nil }
    return names.msr(word, in: cursor)
  }

  /// An outcome word (`ok`, `gp`, …), ignoring case.
  private static func outcomeKind(_ word: Word) -> OutcomeKind? {
    switch word.key {
    case .ok?: .ok
    case .gp?: .gp
    case .ud?: .ud
    case .pf?: .pf
    case .exit?: .exit
    case .dropped?: .dropped
    case .rejected?: .rejected
    case .stopped?: .stopped
    default: nil
    }
  }
}
