/// Walks the tokens of one line, producing errors that point at the right column.
struct TokenCursor {
  let tokens: [Token]
  let line: Int
  let endColumn: Int
  private(set) var position = 0

  init(_ tokenized: TokenizedLine, line: Int) {
    tokens = tokenized.tokens
    self.line = line
    endColumn = tokenized.endColumn
  }

  var peek: Token? { position < tokens.count ? tokens[position] : nil }
  var atEnd: Bool { position >= tokens.count }

  /// The column of the next token, or the end of the statement.
  var column: Int { peek?.column ?? endColumn }

  mutating func next() -> Token? {
    defer { position += 1 }
    return peek
  }

  func error(_ message: String, at column: Int? = nil) -> ScriptError {
    ScriptError(line: line, column: column ?? self.column, message: message)
  }

  /// The next token, or an error `expected WHAT` at the end of the line.
  mutating func require(_ what: String) throws(ScriptError) -> Token {
    guard let token = next() else { throw error("expected \(what) at the end of the statement") }
    return token
  }

  /// The next token as a word, or an error naming `what`.
  mutating func requireWord(_ what: String) throws(ScriptError) -> Token {
    let token = try require(what)
    guard token.keyword != nil else {
      throw error("expected \(what), found \(token.quoted)", at: token.column)
    }
    return token
  }

  /// Consumes the symbol, or fails with `expected 'symbol' …`.
  mutating func requireSymbol(_ symbol: String, after what: String) throws(ScriptError) {
    guard let token = next() else {
      throw error("expected '\(symbol)' after \(what)")
    }
    guard token.isSymbol(symbol) else {
      throw error("expected '\(symbol)' after \(what), found \(token.quoted)", at: token.column)
    }
  }

  /// Consumes a word equal to `keyword` (case-insensitively) if it is next.
  mutating func accept(_ keyword: String) -> Bool {
    guard peek?.keyword == keyword else { return false }
    position += 1
    return true
  }

  /// Fails if anything is left on the line.
  func requireEnd(after what: String) throws(ScriptError) {
    guard let token = peek else { return }
    if token.isSymbol("=") { throw error("unexpected '=': compare with '=='", at: token.column) }
    throw error("unexpected \(token.quoted) after \(what)", at: token.column)
  }
}
