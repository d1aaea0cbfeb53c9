/// One token of a script line.
struct Token: Equatable, Sendable {
  enum Kind: Equatable, Sendable {
    /// A name or keyword: letters, digits, `_`, `.` and `-` (`cr4.SMEP`, `keep-pins`).
    case word(String)
    /// A number literal, already converted.
    case number(UInt64)
    /// A double-quoted string, escapes resolved.
    case string(String)
    /// An operator or punctuation: `| & ^ ~ ( ) , [ ] = == != << >>`.
    case symbol(String)
  }

  let kind: Kind
  /// 1-based column of the first scalar.
  let column: Int
  /// The token as written.
  let text: String

  /// The word, lowercased, if the token is a word.
  var keyword: String? {
    if case .word(let word) = kind { return word.lowercased() }
    return nil
  }

  /// Whether the token is the symbol `symbol`.
  func isSymbol(_ symbol: String) -> Bool { kind == .symbol(symbol) }

  /// The token for messages: quoted, shortened if very long.
  var quoted: String { "'\(Self.shorten(text))'" }

  static func shorten(_ text: String) -> String {
    text.unicodeScalars.count > 40
      ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(37))) + "..." : text
  }
}

/// A script line split into tokens, with its comment cut off.
struct TokenizedLine: Sendable {
  /// The tokens before any comment.
  let tokens: [Token]
  /// The statement as written: trimmed, without its comment.
  let text: String
  /// The comment's text after `#` (or `#>`), if the line has one.
  let comment: String?
  /// The column just past the last scalar of the statement, for "expected … at end of line".
  let endColumn: Int
}
