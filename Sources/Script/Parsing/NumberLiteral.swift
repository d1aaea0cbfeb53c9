/// Number literals: `0x1f`, `31`, `0b101`, `0o17`, with optional `_` separators; 64 bits at most.
enum NumberLiteral {
  static func parse(_ text: String, line: Int, column: Int) throws(ScriptError) -> UInt64 {
    let lower = text.lowercased()
    var digits = Substring(lower)
    var radix = 10
    for (prefix, base) in [("0x", 16), ("0b", 2), ("0o", 8)] where lower.hasPrefix(prefix) {
      digits = digits.dropFirst(2)
      radix = base
    }
    let cleaned = digits.filter { $0 != "_" }
    let shown = Token.shorten(text)
    guard !cleaned.isEmpty, !digits.hasPrefix("_") else {
      throw ScriptError(line: line, column: column, message: "invalid number '\(shown)': no digits")
    }
    var value: UInt64 = 0
    for (offset, character) in cleaned.enumerated() {
      guard let digit = character.hexDigitValue, digit < radix else {
        let what = radix == 16 ? "hexadecimal" : radix == 2 ? "binary" : radix == 8 ? "octal" : "decimal"
        throw ScriptError(
          line: line, column: column,
          message: "invalid number '\(shown)': '\(character)' is not a \(what) digit"
            + (radix == 10 && offset > 0 && character.isHexDigit ? " (hex numbers start with 0x)" : ""))
      }
      let (shifted, overflowA) = value.multipliedReportingOverflow(by: UInt64(radix))
      let (sum, overflowB) = shifted.addingReportingOverflow(UInt64(digit))
      guard !overflowA, !overflowB else {
        throw ScriptError(
          line: line, column: column, message: "number '\(shown)' does not fit in 64 bits")
      }
      value = sum
    }
    return value
  }
}
