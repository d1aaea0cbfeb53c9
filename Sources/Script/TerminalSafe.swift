/// Text from a script or a pasted dump made safe to print (issue 19, item 6): a control
/// character — C0 (U+0000–U+001F) except the line feed and tab, DEL, or C1 (U+0080–U+009F) —
/// becomes `?`, as the TUI already draws them. So an escape sequence in `#>` narration, an
/// `expect note "…"` text or a pasted log line cannot write to the clipboard (OSC 52), move the
/// cursor or hide lines when the output reaches a terminal.
public enum TerminalSafe {
  /// Whether `scalar` is a control character that must not reach a terminal.
  public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A, 0x09: false
    case 0..<0x20, 0x7F..<0xA0: true
    default: false
    }
  }

  /// `text` with each control character but `\n` and `\t` replaced by `?`; the same string when
  /// it has none (no copy).
  public static func text(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var safe = String.UnicodeScalarView()
    for scalar in text.unicodeScalars { safe.append(isControl(scalar) ? "?" : scalar) }
    return String(safe)
  }

  /// Whether the UTF-8 bytes `bytes[index..<end]` start with a control character: a C0 byte
  /// but `\n` and `\t`, DEL, or a C1 character (`C2 80`–`C2 9F`).
  @inline(__always)
  static func isControl(_ bytes: UnsafePointer<UInt8>, at index: Int, end: Int) -> Bool {
    let byte = bytes[index]
    switch byte {
    case 0x0A, 0x09: return false
    case 0..<0x20, 0x7F: return true
    case 0xC2: return index + 1 < end && (0x80..<0xA0).contains(bytes[index + 1])
    default: return false
    }
  }

  /// Whether `bytes` are printable ASCII only (no byte below 0x20, no DEL, none from 0x80 on):
  /// then they hold no control character and count one character a byte. Eight bytes at a
  /// time (the last eight overlapping the word before them); `false` sends the caller to the
  /// exact look (`firstControl`, a count of characters), so a tab or a line feed answers `false`.
  @inline(__always)
  static func isPrintableASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let end = bytes.count
    guard end >= 8 else { return bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }
    // High bits of every word together (any byte from 0x80 on), and of the bytes in 0x20–0x7E.
    var high: UInt64 = 0
    var printable = SWAR.highBits
    var index = 0
    while true {
      let word = UnsafeRawPointer(base + min(index, end - 8)).loadUnaligned(as: UInt64.self)
      high |= word
      printable &= SWAR.inRange(word & ~SWAR.highBits, 0x20, 0x7E)
      index += 8
      if index >= end { break }
    }
    return high & SWAR.highBits == 0 && printable == SWAR.highBits
  }

  /// Where the first control character (`isControl`) of `bytes` at or after `start` begins, or
  /// `nil`. Eight bytes are checked at once: only a word holding a byte below 0x20 (a line feed
  /// or a tab, most often), DEL or 0xC2 is looked at byte by byte.
  static func firstControl(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    guard let base = bytes.baseAddress else { return nil }
    let end = bytes.count
    var index = max(0, start)
    while index + 8 <= end {
      let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
      if SWAR.someBelow(word, 0x20) | SWAR.someEqual(word, 0x7F) | SWAR.someEqual(word, 0xC2) != 0 {
        for at in index..<(index + 8) where isControl(base, at: at, end: end) { return at }
      }
      index += 8
    }
    while index < end {
      if isControl(base, at: index, end: end) { return index }
      index += 1
    }
    return nil
  }
}
