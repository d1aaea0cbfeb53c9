/// The columns of one event line of a text trace, whichever tool printed it:
///
/// - raw ftrace (`/sys/kernel/tracing/trace`):
///   `COMM-PID [CPU] FLAGS TIMESTAMP: EVENT: BODY`, FLAGS 4 characters on older kernels
///   (`....`), 5 on newer (`d....`), an optional `(TGID)` column before `[CPU]`;
/// - `trace-cmd report`: the same without FLAGS (unless `-l`);
/// - `perf script`: `COMM PID [CPU] TIMESTAMP: SYSTEM:EVENT: BODY`, the leading columns
///   depending on `-F` (`[001]   770.850307:   kvm:kvm_exit: …` has none).
struct TraceLine {
  /// The host thread (the PID or TID column), when the line has one.
  var thread: Int?
  /// The host CPU column.
  var hostCPU: Int
  /// Whether a flags column (`d....`, `....`) was present.
  var hasFlags: Bool
  /// The timestamp as printed (`1404.389366`).
  var timestamp: Range<Int>
  /// Whether the event had a `SYSTEM:` prefix (`kvm:kvm_exit`), as perf prints it.
  var hasSystem: Bool
  /// The event's name without its system (`kvm_exit`).
  var event: Range<Int>
  /// The text after `EVENT: `, leading spaces removed.
  var body: Range<Int>

  /// Splits `bytes[start..<end]` (one line, no newline); `nil` when it is not an event line
  /// (a header, a comment, a blank line, anything else).
  init?(_ bytes: [UInt8], from start: Int, to end: Int) {
    var cursor = TraceBytes(bytes, from: start, to: end)
    cursor.skipSpaces()
    guard let first = cursor.peek, first != UInt8(ascii: "#") else { return nil }
    let lineStart = cursor.index
    guard let (bracket, cpu, afterCPU) = Self.cpuColumn(bytes, from: lineStart, to: end) else { return nil }
    hostCPU = cpu
    thread = Self.thread(bytes, from: lineStart, to: bracket)
    cursor.index = afterCPU
    cursor.skipSpaces()
    var token = cursor.word()
    hasFlags = false
    if !Self.isTimestamp(bytes, token) {
      guard (4...5).contains(token.count), token.allSatisfy({ Self.isFlag(bytes[$0]) }) else { return nil }
      hasFlags = true
      cursor.skipSpaces()
      token = cursor.word()
      guard Self.isTimestamp(bytes, token) else { return nil }
    }
    timestamp = token.lowerBound..<(token.upperBound - 1)
    cursor.skipSpaces()
    token = cursor.word()
    if token.allSatisfy({ TraceBytes.isDigit(bytes[$0]) }) {  // perf's sample period
      cursor.skipSpaces()
      token = cursor.word()
    }
    guard token.count > 1, bytes[token.upperBound - 1] == UInt8(ascii: ":") else { return nil }
    var name = token.lowerBound..<(token.upperBound - 1)
    hasSystem = false
    if let colon = name.firstIndex(where: { bytes[$0] == UInt8(ascii: ":") }) {
      hasSystem = true
      name = (colon + 1)..<name.upperBound
    }
    guard !name.isEmpty else { return nil }
    event = name
    cursor.skipSpaces()
    var bodyEnd = end
    while bodyEnd > cursor.index, TraceBytes.isSpace(bytes[bodyEnd - 1]) { bodyEnd -= 1 }
    body = cursor.index..<bodyEnd
  }

  /// The first `[DIGITS]` that starts the line or follows a space: its position, the CPU, and
  /// the index after `]`.
  private static func cpuColumn(_ bytes: [UInt8], from start: Int, to end: Int) -> (Int, Int, Int)? {
    var index = start
    while index < end {
      if bytes[index] == UInt8(ascii: "["), index == start || TraceBytes.isSpace(bytes[index - 1]) {
        var cursor = TraceBytes(bytes, from: index + 1, to: end)
        if let cpu = cursor.decimal(), cursor.peek == UInt8(ascii: "]") {
          return (index, cpu, cursor.index + 1)
        }
      }
      index += 1
    }
    return nil
  }

  /// The PID or TID before the CPU column: the digits ending `COMM-PID`, `COMM PID` or
  /// `PID/TID` (the TID), after dropping a `(TGID)` column.
  private static func thread(_ bytes: [UInt8], from start: Int, to end: Int) -> Int? {
    var last = end
    while last > start, TraceBytes.isSpace(bytes[last - 1]) { last -= 1 }
    if last > start, bytes[last - 1] == UInt8(ascii: ")"),
      let open = bytes[start..<last].lastIndex(of: UInt8(ascii: "("))
    {
      last = open
      while last > start, TraceBytes.isSpace(bytes[last - 1]) { last -= 1 }
    }
    var first = last
    while first > start, TraceBytes.isDigit(bytes[first - 1]) { first -= 1 }
    guard first < last, last - first <= 18 else { return nil }
    var cursor = TraceBytes(bytes, from: first, to: last)
    return cursor.decimal()
  }

  /// `DIGITS.DIGITS:`.
  private static func isTimestamp(_ bytes: [UInt8], _ token: Range<Int>) -> Bool {
    guard token.count >= 4, bytes[token.upperBound - 1] == UInt8(ascii: ":") else { return false }
    var sawDot = false
    for index in token.lowerBound..<(token.upperBound - 1) {
      let byte = bytes[index]
      if byte == UInt8(ascii: ".") {
        guard !sawDot, index > token.lowerBound else { return false }
        sawDot = true
      } else if !TraceBytes.isDigit(byte) {
        return false
      }
    }
    return sawDot && bytes[token.upperBound - 2] != UInt8(ascii: ".")
  }

  private static func isFlag(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: ".") || TraceBytes.isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a)
  }
}
