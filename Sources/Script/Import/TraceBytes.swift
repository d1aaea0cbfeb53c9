/// A cursor over part of a trace's bytes: the small, allocation-free scanning the line and
/// event parsers need (a trace can have millions of lines; no `Regex`, no `String` per field).
struct TraceBytes {
  let bytes: [UInt8]
  var index: Int
  let end: Int

  init(_ bytes: [UInt8], from start: Int, to end: Int) {
    self.bytes = bytes
    self.index = start
    self.end = end
  }

  var atEnd: Bool { index >= end }
  var peek: UInt8? { index < end ? bytes[index] : nil }

  static let space = UInt8(ascii: " ")
  static let tab = UInt8(ascii: "\t")

  static func isSpace(_ byte: UInt8) -> Bool { byte == space || byte == tab }
  static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  mutating func skipSpaces() {
    while index < end, Self.isSpace(bytes[index]) { index += 1 }
  }

  /// Consumes `text` if the bytes at the cursor are exactly it.
  mutating func literal(_ text: StaticString) -> Bool {
    let count = text.utf8CodeUnitCount
    guard end - index >= count else { return false }
    let matches = text.withUTF8Buffer { pattern in
      for offset in 0..<count where bytes[index + offset] != pattern[offset] { return false }
      return true
    }
    if matches { index += count }
    return matches
  }

  /// Moves past the next occurrence of `text`; false (cursor unchanged) when there is none.
  mutating func skip(past text: StaticString) -> Bool {
    let start = index
    while index < end {
      if literal(text) { return true }
      index += 1
    }
    index = start
    return false
  }

  /// A decimal number (at most 18 digits).
  mutating func decimal() -> Int? {
    let start = index
    var value = 0
    while index < end, Self.isDigit(bytes[index]), index - start < 18 {
      value = value * 10 + Int(bytes[index] - 0x30)
      index += 1
    }
    return index > start ? value : nil
  }

  /// A hexadecimal number, with or without `0x` (at most 16 digits).
  mutating func hex() -> UInt64? {
    if end - index > 2, bytes[index] == UInt8(ascii: "0"), bytes[index + 1] | 0x20 == UInt8(ascii: "x") {
      index += 2
    }
    let start = index
    var value: UInt64 = 0
    while index < end, let digit = Self.hexDigit(bytes[index]) {
      guard index - start < 16 else { return nil }
      value = value << 4 | UInt64(digit)
      index += 1
    }
    return index > start ? value : nil
  }

  static func hexDigit(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: byte - 0x30
    case 0x61...0x66: byte - 0x61 + 10
    case 0x41...0x46: byte - 0x41 + 10
    default: nil
    }
  }

  /// The bytes up to the next space or the end, as a range.
  mutating func word() -> Range<Int> {
    let start = index
    while index < end, !Self.isSpace(bytes[index]) { index += 1 }
    return start..<index
  }

  func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

  /// Whether the bytes in `range` are exactly `text`.
  func equals(_ range: Range<Int>, _ text: StaticString) -> Bool {
    guard range.count == text.utf8CodeUnitCount else { return false }
    return text.withUTF8Buffer { pattern in
      for offset in 0..<range.count where bytes[range.lowerBound + offset] != pattern[offset] { return false }
      return true
    }
  }
}
