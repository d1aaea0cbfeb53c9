/// One line of a script, read.
enum ScriptLine {
  /// A blank line or a plain comment.
  case blank
  /// An everyday statement the fast parser read; `text` is empty when it was not asked for.
  case fast(FastInstruction, text: String, computesValue: Bool)
  /// Any other statement (narration included), read by `StatementParser`.
  case general(ParsedStatement)
}

/// Reads script lines from bytes: the everyday statements with `FastStatementParser` (no
/// tokens, no tree, no string but the statement's text), every other line (errors included)
/// with `StatementParser`. Both give the same statement for a line the fast parser accepts. A
/// line read before (`LineMemo`) is not read again.
struct LineParser {
  private var names = NameTable()
  private var memo = LineMemo()

  /// Line `number`, the bytes `range` of `bytes` (no `\n`); with `text`, a statement comes
  /// with its text as the trace shows it (else a fast one's is empty). A byte order mark
  /// starting line 1 is skipped; CR-only line ends are an error (`LineEnds`).
  @inline(__always)
  mutating func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ whole: Range<Int>, number: Int, text: Bool
  ) throws(ScriptError) -> ScriptLine {
    let found = memo.find(bytes, whole, number: number)
    if let found, found.holds {
      let slot = found.slot
      let line = memo.line(in: slot)
      guard text, line != .blank else { return Self.scriptLine(line, text: "", number: number) }
      if let string = memo.string(in: slot) { return Self.scriptLine(line, text: string, number: number) }
      let relative = memo.text(in: slot)
      let string = Self.string(
        bytes, relative.lowerBound + whole.lowerBound..<relative.upperBound + whole.lowerBound)
      memo.keep(text: string, in: slot)
      return Self.scriptLine(line, text: string, number: number)
    }
    let range = try LineEnds.checked(bytes, whole, number: number)
    guard
      let read = FastStatementParser.parse(bytes, from: range.lowerBound, to: range.upperBound, names: &names)
    else {
      let line = Self.string(bytes, range)
      guard let statement = try StatementParser.parse(line, lineNumber: number) else { return .blank }
      return .general(statement)
    }
    let string: String? = text && read.line != .blank ? Self.string(bytes, read.text) : nil
    if let found { memo.keep(read.line, text: read.text, string: string, for: bytes, whole, in: found.slot) }
    return Self.scriptLine(read.line, text: string ?? "", number: number)
  }

  /// The first pass's work on line `number`: it parses, and `order` admits what it holds
  /// (`vcpus N` first, `vcpu N` within the VM). Nothing is built that the check does not need.
  @inline(__always)
  mutating func check(
    _ bytes: UnsafeBufferPointer<UInt8>, _ whole: Range<Int>, number: Int, order: inout StatementOrder
  ) throws(ScriptError) {
    let found = memo.find(bytes, whole, number: number)
    if let found, found.holds {
      return try Self.admit(memo.line(in: found.slot), number: number, to: &order)
    }
    let range = try LineEnds.checked(bytes, whole, number: number)
    guard
      let read = FastStatementParser.parse(bytes, from: range.lowerBound, to: range.upperBound, names: &names)
    else {
      if let statement = try StatementParser.parse(Self.string(bytes, range), lineNumber: number) {
        try order.admit(statement)
      }
      return
    }
    if let found { memo.keep(read.line, text: read.text, string: nil, for: bytes, whole, in: found.slot) }
    try Self.admit(read.line, number: number, to: &order)
  }

  /// `order` admits the statement the fast parser read on line `number`.
  @inline(__always)
  private static func admit(_ line: FastStatementParser.Line, number: Int, to order: inout StatementOrder)
    throws(ScriptError)
  {
    switch line {
    case .blank:
      return
    case .command(.vcpus(let count), let operandColumn):
      try order.admit(
        ParsedStatement(line: number, text: "", command: .vcpus(count), operandColumn: operandColumn))
    case .command(.selectVCPU(let index), let operandColumn):
      try order.admit(
        ParsedStatement(line: number, text: "", command: .selectVCPU(index), operandColumn: operandColumn))
    case .command, .instruction:
      order.admitActionOrExpect()
    }
  }

  /// The script line for what the fast parser read on line `number`, with its text.
  @inline(__always)
  private static func scriptLine(_ line: FastStatementParser.Line, text: String, number: Int) -> ScriptLine {
    switch line {
    case .blank:
      return .blank
    case .instruction(let instruction, let computesValue):
      return .fast(instruction, text: text, computesValue: computesValue)
    case .command(let command, let operandColumn):
      return .general(
        ParsedStatement(line: number, text: text, command: command.command, operandColumn: operandColumn))
    }
  }

  /// The bytes `range` as a string.
  private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }
}
