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
/// tokens, no tree, no strings), every other line (errors included) with `StatementParser`.
/// Both give the same statement for a line the fast parser accepts.
struct LineParser {
  private var names = NameTable()

  /// Line `number`, the bytes `range` of `bytes` (no `\n`); with `text`, a fast statement
  /// comes with its text as the trace shows it. A byte order mark starting line 1 is skipped;
  /// CR-only line ends are an error (`LineEnds`).
  mutating func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ whole: Range<Int>, number: Int, text: Bool
  ) throws(ScriptError) -> ScriptLine {
    let range = try LineEnds.checked(bytes, whole, number: number)
    switch FastStatementParser.parse(bytes, from: range.lowerBound, to: range.upperBound, names: &names) {
    case .blank?: return .blank
    case .instruction(let instruction)?:
      guard text else { return .fast(instruction, text: "", computesValue: false) }
      let (statement, computes) = Self.statementText(bytes, range, instruction)
      return .fast(instruction, text: statement, computesValue: computes)
    case nil:
      let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
      guard let statement = try StatementParser.parse(line, lineNumber: number) else { return .blank }
      return .general(statement)
    }
  }

  /// The statement as the lexer gives it (trimmed, without its comment) and whether it
  /// computes its value (`set`/`clear`, or an operand other than one number).
  private static func statementText(
    _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ instruction: FastInstruction
  ) -> (String, Bool) {
    func isBlank(_ byte: UInt8) -> Bool {
      byte == ASCII.space || byte == ASCII.tab || byte == ASCII.carriageReturn
    }
    var start = range.lowerBound
    while start < range.upperBound, isBlank(bytes[start]) { start += 1 }
    var end = start
    var comma: Int?
    while end < range.upperBound, bytes[end] != ASCII.hash {
      if comma == nil, bytes[end] == UInt8(ascii: ",") { comma = end }
      end += 1
    }
    while end > start, isBlank(bytes[end - 1]) { end -= 1 }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    switch instruction {
    case .setBit: return (text, true)
    case .rdmsr, .expectOutcome: return (text, false)
    case .mov, .wrmsr:
      guard var operand = comma.map({ $0 + 1 }) else { return (text, true) }
      while operand < end, isBlank(bytes[operand]) { operand += 1 }
      guard operand < end, ASCII.isDigit(bytes[operand]) else { return (text, true) }
      for index in operand..<end {
        let byte = bytes[index]
        let isNumberByte =
          ASCII.isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
          || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
        if !isNumberByte { return (text, true) }
      }
      return (text, false)
    }
  }
}
