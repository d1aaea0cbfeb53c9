/// A bound on the statements a memory-hungry command takes (issue 19, item 4): `compare` keeps
/// every statement's outcome in each design, and `export asciicast` keeps the TUI's state and a
/// frame for each step. Past the bound they refuse the script at once, with the count and the
/// bound, instead of using gigabytes; `crpin run` streams and has no such bound. Measured in a
/// debug build: `compare` of 10,000 statements 212 MB; `export asciicast` of 2,000 narrated
/// steps 103 MB.
enum StatementCap {
  /// At most this many statements for `crpin compare`.
  static let compare = 10_000
  /// At most this many statements for `crpin export asciicast`.
  static let asciicast = 2_000

  /// The statements in `text`: lines that are not blank, a comment or narration. Counted on
  /// the bytes, without parsing, so the check itself costs no memory per statement.
  static func count(_ text: String) -> Int {
    var count = 0
    var atLineStart = true
    var counted = false
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\n"):
        atLineStart = true
        counted = false
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
        continue
      default:
        if atLineStart, !counted, byte != UInt8(ascii: "#") { count += 1 }
        atLineStart = false
        counted = true
      }
    }
    return count
  }

  /// `PATH: error: …` when `text` has more than `limit` statements, else `nil`.
  static func excess(_ text: String, path: String, limit: Int, command: String) -> String? {
    let count = count(text)
    guard count > limit else { return nil }
    return
      "\(path): error: too many statements for \(command): \(count); it takes at most \(limit) statements "
      + "(split the script, or use `crpin run`, which has no limit)"
  }
}
