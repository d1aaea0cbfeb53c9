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
  static func isControl(_ bytes: UnsafeMutableBufferPointer<UInt8>, at index: Int, end: Int) -> Bool {
    let byte = bytes[index]
    switch byte {
    case 0x0A, 0x09: return false
    case 0..<0x20, 0x7F: return true
    case 0xC2: return index + 1 < end && (0x80..<0xA0).contains(bytes[index + 1])
    default: return false
    }
  }
}
