/// Splits one script line into tokens.
enum Lexer {
  /// The longest line crpin reads: longer lines are an error, not a slow or deep parse.
  static let maxLineLength = 4096

  static func tokenize(_ line: String, lineNumber: Int) throws(ScriptError) -> TokenizedLine {
    var count = 0
    for _ in line.unicodeScalars {
      count += 1
      if count > maxLineLength {
        throw ScriptError(
          line: lineNumber, column: maxLineLength + 1,
          message: "line too long: a line may have at most \(maxLineLength) characters")
      }
    }
    let scalars = Array(line.unicodeScalars)
    var tokens: [Token] = []
    var index = 0
    var commentStart: Int?
    func fail(_ column: Int, _ message: String) -> ScriptError {
      ScriptError(line: lineNumber, column: column, message: message)
    }
    while index < scalars.count {
      let scalar = scalars[index]
      let column = index + 1
      if scalar == " " || scalar == "\t" || scalar == "\r" {
        index += 1
      } else if scalar == "#" {
        commentStart = index
        break
      } else if isWordStart(scalar) {
        let start = index
        while index < scalars.count, isWordContinuation(scalars[index]) { index += 1 }
        let text = string(scalars[start..<index])
        tokens.append(Token(kind: .word(text), column: column, text: text))
      } else if isDigit(scalar) {
        let start = index
        while index < scalars.count, isWordContinuation(scalars[index]), scalars[index] != "." {
          index += 1
        }
        if isVersionDot(scalars, at: index, after: scalars[start..<index]) {
          // `5.8`, a Linux version (`option kernel 5.8`): a word, which `LinuxVersion` reads.
          while index < scalars.count, isWordContinuation(scalars[index]) { index += 1 }
          let text = string(scalars[start..<index])
          tokens.append(Token(kind: .word(text), column: column, text: text))
          continue
        }
        let text = string(scalars[start..<index])
        let value = try NumberLiteral.parse(text, line: lineNumber, column: column)
        tokens.append(Token(kind: .number(value), column: column, text: text))
      } else if scalar == "\"" {
        let (value, end) = try readString(scalars, from: index, lineNumber: lineNumber)
        tokens.append(Token(kind: .string(value), column: column, text: string(scalars[index..<end])))
        index = end
      } else if scalar == "+" || scalar == "-", tokens.last?.keyword == "cpuid",
        index + 1 < scalars.count, isWordStart(scalars[index + 1])
      {
        // `host cpuid +cet` / `-cet`: the sign belongs to the feature's name.
        let start = index
        index += 1
        while index < scalars.count, isWordContinuation(scalars[index]) { index += 1 }
        let text = string(scalars[start..<index])
        tokens.append(Token(kind: .word(text), column: column, text: text))
      } else if let symbol = symbol(scalars, at: index) {
        tokens.append(Token(kind: .symbol(symbol), column: column, text: symbol))
        index += symbol.unicodeScalars.count
      } else {
        throw fail(column, unexpectedMessage(scalar))
      }
    }
    let statementEnd = commentStart ?? scalars.count
    let text = string(scalars[0..<statementEnd]).trimmingCharacters(in: " \t\r")
    let comment = commentStart.map { string(scalars[($0 + 1)...]) }
    var endColumn = statementEnd + 1
    while endColumn > 1, [" ", "\t", "\r"].contains(scalars[endColumn - 2]) { endColumn -= 1 }
    return TokenizedLine(tokens: tokens, text: text, comment: comment, endColumn: endColumn)
  }

  private static func readString(
    _ scalars: [Unicode.Scalar], from start: Int, lineNumber: Int
  ) throws(ScriptError) -> (String, Int) {
    var value = String.UnicodeScalarView()
    var index = start + 1
    while index < scalars.count {
      let scalar = scalars[index]
      if scalar == "\"" { return (String(value), index + 1) }
      if scalar == "\\", index + 1 < scalars.count {
        index += 1
      }
      value.append(scalars[index])
      index += 1
    }
    throw ScriptError(line: lineNumber, column: start + 1, message: "unterminated string: add a closing '\"'")
  }

  private static func symbol(_ scalars: [Unicode.Scalar], at index: Int) -> String? {
    let next = index + 1 < scalars.count ? scalars[index + 1] : nil
    switch scalars[index] {
    case "|", "&", "^", "~", "(", ")", ",", "[", "]": return String(scalars[index])
    case "=": return next == "=" ? "==" : "="
    case "!" where next == "=": return "!="
    case "<" where next == "<": return "<<"
    case ">" where next == ">": return ">>"
    default: return nil
    }
  }

  private static func unexpectedMessage(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case "-": return "unexpected '-': numbers cannot be negative (write ~0 for all ones)"
    case "+", "*", "/", "%": return "unexpected '\(scalar)': expressions use | & ^ ~ << >> and parentheses"
    default:
      if scalar.value < 0x20 || scalar.value == 0x7f || !scalar.properties.isGraphemeBase {
        return "unexpected character U+\(hex4(scalar.value)) (is this a text file?)"
      }
      return "unexpected character '\(scalar)'"
    }
  }

  private static func hex4(_ value: UInt32) -> String {
    let text = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - text.count)) + text
  }

  /// Whether `digits` (a run of decimal digits) and the `.` at `index` start a version such as
  /// `5.8`: a `.` followed by a digit. Anywhere else a `.` after a number is an error.
  private static func isVersionDot(
    _ scalars: [Unicode.Scalar], at index: Int, after digits: ArraySlice<Unicode.Scalar>
  ) -> Bool {
    index + 1 < scalars.count && scalars[index] == "." && isDigit(scalars[index + 1])
      && digits.allSatisfy(isDigit)
  }

  static func isWordStart(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
  }

  static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

  static func isWordContinuation(_ scalar: Unicode.Scalar) -> Bool {
    isWordStart(scalar) || isDigit(scalar) || scalar == "." || scalar == "-"
  }

  /// The text of `scalars`, appended one by one (the stdlib's generic `append(contentsOf:)`
  /// is not specialized for a slice of scalars and costs several times more).
  private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
    var text = ""
    text.reserveCapacity(scalars.count)
    for scalar in scalars { text.unicodeScalars.append(scalar) }
    return text
  }
}
