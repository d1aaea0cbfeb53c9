import Engine

/// A statement the fast parser read, with where it is.
struct FastStatement: Sendable {
  /// What it does.
  let instruction: FastInstruction
  /// Its 1-based line.
  let line: Int
  /// The byte offset of its line in the script, to parse it again when its text or a full
  /// record is needed.
  let start: Int
}

/// One statement of a script as `ScriptReader` reads it.
enum ReadStatement {
  /// An everyday statement, read by the fast parser.
  case fast(FastStatement)
  /// Any other statement (narration left out), read by `StatementParser`.
  case general(ParsedStatement)
}

/// Reads a script statement by statement as `parseScript` parses it: the same statements, the
/// same errors, the same checks across statements; the everyday statements as
/// `FastStatement`s.
struct ScriptReader {
  /// The whole script.
  let bytes: UnsafeBufferPointer<UInt8>
  private var position = 0
  private var line = 0
  private var order: StatementOrder
  private var names = NameTable()

  /// A reader at the start of `bytes`, for a VM that starts with `initialVCPUs` vCPUs.
  init(_ bytes: UnsafeBufferPointer<UInt8>, initialVCPUs: Int) {
    self.bytes = bytes
    order = StatementOrder(initialVCPUs: initialVCPUs)
  }

  /// The next statement; nil at the end of the script.
  mutating func next() throws(ScriptError) -> ReadStatement? {
    while position < bytes.count {
      let start = position
      var end = start
      while end < bytes.count, bytes[end] != ASCII.newline { end += 1 }
      position = end + 1
      line += 1
      switch FastStatementParser.parse(bytes, from: start, to: end, names: &names) {
      case .blank?: continue
      case .instruction(let instruction)?:
        order.admitActionOrExpect()
        return .fast(FastStatement(instruction: instruction, line: line, start: start))
      case nil:
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        guard let statement = try StatementParser.parse(text, lineNumber: line) else { continue }
        try order.admit(statement)
        if case .narration = statement.command { continue }
        return .general(statement)
      }
    }
    return nil
  }
}

extension FastStatement {
  /// The statement on its line of `bytes`, parsed again by `StatementParser` (for its text or
  /// a full record).
  func parsed(in bytes: UnsafeBufferPointer<UInt8>) throws(ScriptError) -> ParsedStatement {
    var end = start
    while end < bytes.count, bytes[end] != ASCII.newline { end += 1 }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    guard let parsed = try StatementParser.parse(text, lineNumber: line) else {
      throw ScriptError(line: line, column: 1, message: "internal error: the statement vanished")
    }
    return parsed
  }
}
