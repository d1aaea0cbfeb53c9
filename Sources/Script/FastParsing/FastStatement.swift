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

  /// Whether it is an action (it sets the outcome `expect` checks).
  var isAction: Bool {
    switch self {
    case .mov, .setBit, .wrmsr, .rdmsr: true
    case .expectOutcome: false
    }
  }

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

/// Recognises the everyday statements on bytes. It accepts a line only when `StatementParser`
/// would parse it to the same statement; for every other line (errors included) it returns nil
/// and the line goes to `StatementParser`.
enum FastStatementParser {
  /// What the line is: `.blank` for blank and plain comment lines, an instruction, or nil.
  enum Line {
    case blank
    case instruction(FastInstruction)
  }

  /// The line `start..<end` of `bytes`.
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, names: inout NameTable)
    -> Line?
  {
    guard end - start <= Lexer.maxLineLength else { return nil }
    var cursor = ByteCursor(bytes: bytes, position: start, end: end)
    cursor.skipBlanks()
    if cursor.position == end { return .blank }
    if cursor.current == ASCII.hash { return cursor.following == ASCII.greater ? nil : .blank }
    guard let keyword = cursor.word(), let instruction = statement(keyword, &cursor, &names),
      cursor.atStatementEnd()
    else { return nil }
    return .instruction(instruction)
  }

  private static func statement(_ keyword: Word, _ cursor: inout ByteCursor, _ names: inout NameTable)
    -> FastInstruction?
  {
    switch keyword.key {
    case WordKey.mov?:
      guard let word = cursor.word(), let control = NameTable.controlRegister(word),
        cursor.accept(UInt8(ascii: ",")),
        let value = FastExpressionParser.parse(&cursor, names: &names)
      else { return nil }
      return .mov(control, value)
    case WordKey.set?, WordKey.clear?:
      guard let word = cursor.word(), let bit = names.bit(word, in: cursor) else { return nil }
      return .setBit(bit, on: keyword.is(.set))
    case WordKey.host?:
      guard let verb = cursor.word() else { return nil }
      return msrAccess(verb, host: true, &cursor, &names)
    case WordKey.wrmsr?, WordKey.rdmsr?:
      return msrAccess(keyword, host: false, &cursor, &names)
    case WordKey.expect?:
      guard let word = cursor.word(), let kind = outcomeKind(word, in: cursor) else { return nil }
      return .expectOutcome(kind)
    default:
      return nil
    }
  }

  /// `wrmsr MSR, EXPR` or `rdmsr MSR`, after `host` when `host`.
  private static func msrAccess(
    _ verb: Word, host: Bool, _ cursor: inout ByteCursor, _ names: inout NameTable
  ) -> FastInstruction? {
    let write = verb.is(.wrmsr)
    guard write || verb.is(.rdmsr), let msr = msr(&cursor, &names) else { return nil }
    guard write else { return .rdmsr(msr, host: host) }
    guard cursor.accept(UInt8(ascii: ",")), let value = FastExpressionParser.parse(&cursor, names: &names)
    else { return nil }
    return .wrmsr(msr, value, host: host)
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
  private static func outcomeKind(_ word: Word, in cursor: ByteCursor) -> OutcomeKind? {
    guard word.range.count <= 8 else { return nil }
    return OutcomeKind(rawValue: cursor.string(word.range).lowercased())
  }
}
