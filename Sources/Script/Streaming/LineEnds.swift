/// Two things an editor may put in a script that are not statements (issue 19, item 8):
///
/// - a UTF-8 byte order mark (`EF BB BF`) at the start of the first line, as some Windows
///   editors write: skipped silently;
/// - carriage returns as the only line ends (classic Mac OS): a whole script is then one line,
///   which would give a misleading error about its second statement (or, after a comment, run
///   nothing). A carriage return followed by more text on the same line is refused with a
///   message that says so; a trailing one (CRLF line ends) stays allowed.
enum LineEnds {
  /// The byte order mark's UTF-8 bytes.
  private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

  /// `range` without a leading byte order mark on line 1; throws when a carriage return has
  /// more text after it on the line.
  static func checked(
    _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, number: Int
  ) throws(ScriptError) -> Range<Int> {
    var start = range.lowerBound
    if number == 1, range.count >= 3, bytes[start] == 0xEF, bytes[start + 1] == 0xBB, bytes[start + 2] == 0xBF
    {
      start += 3
    }
    guard var index = firstCarriageReturn(bytes, from: start, to: range.upperBound) else {
      return start..<range.upperBound
    }
    let carriageReturn = index
    while index < range.upperBound {
      let byte = bytes[index]
      guard byte == ASCII.carriageReturn || byte == ASCII.space || byte == ASCII.tab else {
        throw crOnly(bytes, from: start, at: carriageReturn, number: number)
      }
      index += 1
    }
    return start..<range.upperBound
  }

  /// The first `\r` of `bytes[start..<end]`, eight bytes at a time.
  @inline(__always)
  private static func firstCarriageReturn(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int)
    -> Int?
  {
    var index = start
    if let base = bytes.baseAddress {
      // Eight bytes at a time while the buffer has them (the line's `\n` and what follows it
      // are read too, and left out).
      let pattern = SWAR.repeated(ASCII.carriageReturn)
      while index < end, index + 8 <= bytes.count {
        var hits = SWAR.zeroBytes(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) ^ pattern)
        let left = end - index
        if left < 8 { hits &= (1 << UInt64(truncatingIfNeeded: left << 3)) &- 1 }
        if hits != 0 { return index + hits.trailingZeroBitCount >> 3 }
        index += 8
      }
      if index >= end { return nil }
    }
    while index < end {
      if bytes[index] == ASCII.carriageReturn { return index }
      index += 1
    }
    return nil
  }

  /// `checked` for a line of text (`parseScript`): the line without a leading byte order mark.
  static func checked(_ line: Substring, number: Int) throws(ScriptError) -> Substring {
    let utf8 = Array(line.utf8)
    let kept = try utf8.withUnsafeBufferPointer { bytes throws(ScriptError) in
      try checked(bytes, 0..<bytes.count, number: number)
    }
    return kept.lowerBound == 0 ? line : Substring(line.utf8.dropFirst(kept.lowerBound))
  }

  private static func crOnly(
    _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, at index: Int, number: Int
  ) -> ScriptError {
    // The column counts characters: every byte that does not continue a UTF-8 sequence.
    let column = 1 + bytes[start..<index].count { $0 & 0xC0 != 0x80 }
    return ScriptError(
      line: number, column: column,
      message:
        "a carriage return with more text after it: this script uses CR-only line ends (classic Mac OS); "
        + "convert them to line feeds, e.g. `tr '\\r' '\\n' < OLD > NEW`")
  }
}
