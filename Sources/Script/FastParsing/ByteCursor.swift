/// A position in one line of a script, read as UTF-8 bytes with the lexer's rules (`Lexer`),
/// for the fast parser. It understands ASCII only: anything else makes the fast parser give
/// the line to `StatementParser`.
struct ByteCursor {
  /// The whole script.
  let bytes: UnsafeBufferPointer<UInt8>
  /// The next byte to read.
  var position: Int
  /// The end of the line (its `\n`, or the end of the script).
  let end: Int

  /// The byte at `position`, or 0 at the end of the line.
  var current: UInt8 { position < end ? bytes[position] : 0 }

  /// The byte after `position`, or 0 past the end of the line.
  var following: UInt8 { position + 1 < end ? bytes[position + 1] : 0 }

  /// Skips spaces, tabs and carriage returns.
  mutating func skipBlanks() {
    while position < end {
      let byte = bytes[position]
      guard ASCII.isBlank(byte) else { return }
      position += 1
    }
  }

  /// Whether only blanks or a comment are left.
  mutating func atStatementEnd() -> Bool {
    skipBlanks()
    return position == end || bytes[position] == ASCII.hash
  }

  /// Consumes `symbol` (one byte) after blanks, if it is next.
  mutating func accept(_ symbol: UInt8) -> Bool {
    skipBlanks()
    guard current == symbol else { return false }
    position += 1
    return true
  }

  /// The next word (`[A-Za-z_][A-Za-z0-9_.-]*`) after blanks, consumed; nil when the next
  /// token is not a word.
  mutating func word() -> Word? {
    skipBlanks()
    let start = position
    guard start < end, ASCII.isWordStart(bytes[start]) else { return nil }
    if let base = bytes.baseAddress, start + WordKey.capacity <= bytes.count {
      return wordByEights(base, from: start)
    }
    // Near the end of the buffer: a byte at a time.
    var first: UInt64 = 0
    var second: UInt64 = 0
    var third: UInt64 = 0
    var index = start
    let table = ASCII.wordBytes.utf8Start
    while index < end {
      let byte = bytes[index]
      guard byte < 0x80 else { break }
      let lower = table[Int(byte)]
      guard lower != 0 else { break }
      let offset = index &- start
      let shifted = UInt64(lower) << UInt64(truncatingIfNeeded: (offset & 7) << 3)
      if offset < 8 {
        first |= shifted
      } else if offset < 16 {
        second |= shifted
      } else if offset < WordKey.capacity {
        third |= shifted
      }
      index += 1
    }
    position = index
    let key = index - start <= WordKey.capacity ? WordKey(first, second, third) : nil
    return Word(range: start..<index, key: key)
  }

  /// `word()` eight bytes at a time, for a word starting at `start` with at least
  /// `WordKey.capacity` bytes of the buffer from there (bytes past the line's end are read but
  /// not taken).
  @inline(__always)
  private mutating func wordByEights(_ base: UnsafePointer<UInt8>, from start: Int) -> Word {
    var parts: (UInt64, UInt64, UInt64) = (0, 0, 0)
    var index = start
    var complete = false
    for part in 0..<3 {
      let eight = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
      var continues = SWAR.wordCharacters(eight)
      let left = end - index
      if left < 8 { continues &= (1 << UInt64(truncatingIfNeeded: left << 3)) &- 1 }
      let count = (~continues & SWAR.highBits).trailingZeroBitCount >> 3
      let kept: UInt64 = count == 8 ? .max : (1 << UInt64(truncatingIfNeeded: count << 3)) &- 1
      let lowered = (eight | SWAR.upperCase(eight) >> 2) & kept
      switch part {
      case 0: parts.0 = lowered
      case 1: parts.1 = lowered
      default: parts.2 = lowered
      }
      index += count
      if count < 8 {
        complete = true
        break
      }
    }
    if !complete {
      // Longer than a key: the rest a byte at a time, and no key.
      while index < end, ASCII.isWordContinuation(bytes[index]) { index += 1 }
    }
    position = index
    let key = index - start <= WordKey.capacity ? WordKey(parts.0, parts.1, parts.2) : nil
    return Word(range: start..<index, key: key)
  }

  /// The next number token after blanks (a digit, then word characters other than `.`),
  /// consumed; nil when it is not a number or is one the fast parser does not read (`_`
  /// separators, `0b`, `0o`, invalid digits, more than 64 bits).
  mutating func number() -> UInt64? {
    skipBlanks()
    guard ASCII.isDigit(current) else { return nil }
    let start = position
    while position < end, ASCII.isWordContinuation(bytes[position]), bytes[position] != ASCII.dot {
      position += 1
    }
    var index = start
    var radix: UInt64 = 10
    if position - start > 2, bytes[start] == ASCII.zero, bytes[start + 1] | 0x20 == ASCII.lowerX {
      radix = 16
      index += 2
    }
    var value: UInt64 = 0
    while index < position {
      guard let digit = ASCII.digitValue(bytes[index]), UInt64(digit) < radix else { return nil }
      let (shifted, overflowA) = value.multipliedReportingOverflow(by: radix)
      let (sum, overflowB) = shifted.addingReportingOverflow(UInt64(digit))
      guard !overflowA, !overflowB else { return nil }
      value = sum
      index += 1
    }
    return value
  }

  /// Whether `word` starts with `prefix` (lowercase ASCII), ignoring case.
  func hasPrefix(_ word: Word, _ prefix: StaticString) -> Bool {
    guard word.range.count >= prefix.utf8CodeUnitCount else { return false }
    let pointer = prefix.utf8Start
    for offset in 0..<prefix.utf8CodeUnitCount
    where ASCII.lowercased(bytes[word.range.lowerBound + offset]) != pointer[offset] {
      return false
    }
    return true
  }

  /// The bytes of `range` as a string (short words are stored inline: no allocation).
  func string(_ range: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }
}

/// A word of a line: where it is, and its key for comparisons and lookups.
struct Word {
  /// Its bytes in the script.
  let range: Range<Int>
  /// Its key; nil for a word longer than `WordKey.capacity`.
  let key: WordKey?

  /// Whether the word is `keyword`, ignoring case.
  func `is`(_ keyword: WordKey) -> Bool { key == keyword }
}

/// The bytes the fast parser looks at.
enum ASCII {
  static let tab = UInt8(ascii: "\t")
  static let newline = UInt8(ascii: "\n")
  static let carriageReturn = UInt8(ascii: "\r")
  static let space = UInt8(ascii: " ")
  static let hash = UInt8(ascii: "#")
  static let dot = UInt8(ascii: ".")
  static let zero = UInt8(ascii: "0")
  static let lowerX = UInt8(ascii: "x")
  static let greater = UInt8(ascii: ">")

  /// A space, a tab or a carriage return: what the lexer skips.
  static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab || byte == carriageReturn }

  static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

  static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- UInt8(ascii: "a") < 26 }

  static func isWordStart(_ byte: UInt8) -> Bool { isLetter(byte) || byte == UInt8(ascii: "_") }

  /// For each ASCII byte: the byte lowercased when it continues a word (`[A-Za-z0-9_.-]`,
  /// as `isWordContinuation`), else 0. A literal: no initialization, one load a byte.
  static var wordBytes: StaticString {
    """
    \0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\
    \0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\
    \0\0\0\0\0\0\0\0\0\0\0\0\0-.\0\
    0123456789\0\0\0\0\0\0\
    \0abcdefghijklmno\
    pqrstuvwxyz\0\0\0\0_\
    \0abcdefghijklmno\
    pqrstuvwxyz\0\0\0\0\0
    """
  }

  /// `[A-Za-z0-9_.-]`, from a bitmap of the 128 ASCII bytes.
  static func isWordContinuation(_ byte: UInt8) -> Bool {
    // Bytes 0-63: `-` (45), `.` (46), `0`-`9` (48-57). Bytes 64-127: `A`-`Z` (65-90), `_` (95),
    // `a`-`z` (97-122).
    let low: UInt64 = 1 << 45 | 1 << 46 | 0x3ff << 48
    let high: UInt64 = 0x3ff_ffff << 1 | 1 << 31 | 0x3ff_ffff << 33
    guard byte < 128 else { return false }
    return ((byte < 64 ? low : high) >> UInt64(byte & 63)) & 1 != 0
  }

  /// The byte with A–Z lowered; every other byte as it is.
  static func lowercased(_ byte: UInt8) -> UInt8 { byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte }

  /// The value of a hexadecimal digit, either case.
  static func digitValue(_ byte: UInt8) -> UInt8? {
    if isDigit(byte) { return byte &- UInt8(ascii: "0") }
    let lower = byte | 0x20
    return lower &- UInt8(ascii: "a") < 6 ? lower &- UInt8(ascii: "a") + 10 : nil
  }
}
