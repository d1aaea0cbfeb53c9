/// A problem with a script line: where it is and what is wrong.
///
/// `column` is 1-based and counts Unicode scalars from the start of the line; it points at the
/// offending text.
public struct ScriptError: Error, Equatable, Sendable {
  /// The 1-based line number.
  public let line: Int
  /// The 1-based column of the offending text.
  public let column: Int
  /// What is wrong, in one sentence (may end with a `did you mean …?` suggestion).
  public let message: String
  /// Whether the error depends on the state the run reached (`smram.cr4` read outside SMM), so
  /// no check before the run can find it: it stops the run there with exit status 1, not 2
  /// (2 means nothing ran); in an `expect` it is a failed expectation instead.
  public let atRunTime: Bool

  /// An error at `line`, `column`; `atRunTime` when only running can find it.
  public init(line: Int, column: Int, message: String, atRunTime: Bool = false) {
    self.line = line
    self.column = column
    self.message = message
    self.atRunTime = atRunTime
  }
}

extension ScriptError {
  /// `PATH:LINE:COL: error: MESSAGE`, then the offending line (shortened around the column when
  /// it is long) and a caret under the offending text.
  public func rendered(path: String, sourceLine: String?) -> String {
    var text = "\(path):\(line):\(column): error: \(message)"
    guard var sourceLine else { return text }
    if sourceLine.unicodeScalars.last == "\r" { sourceLine.unicodeScalars.removeLast() }
    if line == 1, sourceLine.unicodeScalars.first == "\u{FEFF}" { sourceLine.unicodeScalars.removeFirst() }
    let excerpt = ErrorExcerpt(line: sourceLine, column: column)
    text += "\n" + excerpt.line + "\n" + excerpt.caret
    return text
  }
}

/// The offending line and a caret, cut to at most about 120 scalars around the column, with
/// control characters shown as `?` so the terminal stays sane.
struct ErrorExcerpt {
  let line: String
  let caret: String

  init(line source: String, column: Int) {
    let scalars = Array(source.unicodeScalars.prefix(column + 80))
    let target = max(0, min(column - 1, scalars.count))
    let start = max(0, target - 40)
    let end = min(scalars.count, target + 80)
    var shown = String.UnicodeScalarView()
    var pad = String.UnicodeScalarView()
    if start > 0 { shown.append(contentsOf: "…".unicodeScalars) }
    if start > 0 { pad.append(" ") }
    for index in start..<end {
      let scalar = scalars[index]
      let visible: Unicode.Scalar =
        scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7f ? "?" : scalar
      shown.append(visible)
      if index < target { pad.append(scalar == "\t" ? "\t" : " ") }
    }
    if end < source.unicodeScalars.count { shown.append(contentsOf: "…".unicodeScalars) }
    line = String(shown)
    caret = String(pad) + "^"
  }
}
