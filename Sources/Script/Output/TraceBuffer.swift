/// Trace text being built as UTF-8 bytes: what the traces render into, so that a record costs
/// a few copies into one reused buffer instead of a string per piece.
public struct TraceBuffer: Sendable {
  /// Room for the bytes: `storage[..<count]` holds them (appending copies into the room
  /// rather than through `Array.append(contentsOf:)`, which costs far more per call).
  private var storage: [UInt8] = []
  /// How many bytes the buffer holds.
  private(set) var count = 0

  /// An empty buffer.
  public init() {}

  /// Empties the buffer, keeping its capacity.
  public mutating func removeAll() { count = 0 }

  /// The bytes so far.
  public var bytes: ArraySlice<UInt8> { storage[..<count] }

  /// The bytes as a string.
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  /// Calls `body` with the bytes so far.
  public func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
    storage.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[..<count])) }
  }

  /// Appends `source`.
  mutating func append(_ source: UnsafeBufferPointer<UInt8>) {
    guard let base = source.baseAddress, source.count > 0 else { return }
    reserve(source.count)
    let at = count
    storage.withUnsafeMutableBufferPointer { room in
      guard let start = room.baseAddress else { return }
      (start + at).update(from: base, count: source.count)
    }
    count += source.count
  }

  /// Disfavoured, so that a literal goes to the `StaticString` overload (a plain copy).
  @_disfavoredOverload
  mutating func append(_ text: String) {
    let copied: Void? = text.utf8.withContiguousStorageIfAvailable { append($0) }
    if copied == nil { append(Array(text.utf8)) }
  }

  mutating func append(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { append($0) }
  }

  mutating func append(_ text: StaticString) {
    text.withUTF8Buffer { append($0) }
  }

  mutating func append(byte: UInt8) {
    reserve(1)
    storage.withUnsafeMutableBufferPointer { $0[count] = byte }
    count += 1
  }

  /// Drops the bytes from `index` on.
  mutating func truncate(to index: Int) { count = min(count, index) }

  /// Replaces each control character from byte `start` on with `?`, as `TerminalSafe.text`
  /// does: a C0 byte but the line feed and tab, DEL, or a C1 character (UTF-8 `C2 80`–`C2 9F`).
  mutating func makeTerminalSafe(from start: Int) {
    let end = count
    count = storage.withUnsafeMutableBufferPointer { room in
      var read = start
      while read < end, !TerminalSafe.isControl(room, at: read, end: end) { read += 1 }
      var write = read
      while read < end {
        if TerminalSafe.isControl(room, at: read, end: end) {
          read += room[read] == 0xC2 ? 2 : 1
          room[write] = UInt8(ascii: "?")
        } else {
          room[write] = room[read]
          read += 1
        }
        write += 1
      }
      return write
    }
  }

  private static let spaces: StaticString = "                                "

  mutating func appendSpaces(_ count: Int) {
    var left = count
    while left > 0 {
      let run = min(left, 32)
      Self.spaces.withUTF8Buffer { append(UnsafeBufferPointer(rebasing: $0[..<run])) }
      left -= run
    }
  }

  /// `text`, then spaces to `width` characters; one space when it is `width` or longer.
  mutating func append(_ text: String, paddedTo width: Int) {
    let start = count
    append(text)
    let ascii = storage.withUnsafeBufferPointer { written in
      var high: UInt8 = 0
      for index in start..<count { high |= written[index] }
      return high < 0x80
    }
    let characters = ascii ? count - start : text.count
    appendSpaces(characters >= width ? 1 : width - characters)
  }

  /// `value` in decimal.
  mutating func append(decimal value: Int) {
    guard value >= 0 else { return append(String(value)) }
    var digits = 1
    var rest = value / 10
    while rest > 0 {
      digits += 1
      rest /= 10
    }
    reserve(digits)
    let end = count + digits
    storage.withUnsafeMutableBufferPointer { room in
      var rest = value
      var at = end
      repeat {
        at -= 1
        room[at] = ASCII.zero + UInt8(rest % 10)
        rest /= 10
      } while rest > 0
    }
    count = end
  }

  /// Makes room for `extra` more bytes.
  private mutating func reserve(_ extra: Int) {
    if count + extra > storage.count {
      storage.append(contentsOf: repeatElement(0, count: max(storage.count, extra, 1024)))
    }
  }

  /// `value` as `Hex.short` writes it: `0x` and lowercase digits without leading zeros.
  mutating func append(hex value: UInt64) {
    var digits = 1
    while digits < 16, value >> UInt64(4 * digits) != 0 { digits += 1 }
    reserve(digits + 2)
    let start = count
    storage.withUnsafeMutableBufferPointer { room in
      room[start] = ASCII.zero
      room[start + 1] = ASCII.lowerX
      var rest = value
      for at in stride(from: start + 1 + digits, to: start + 1, by: -1) {
        let digit = UInt8(rest & 0xf)
        room[at] = digit < 10 ? ASCII.zero + digit : UInt8(ascii: "a") + digit - 10
        rest >>= 4
      }
    }
    count += digits + 2
  }

  /// `value` right-aligned in `width` columns.
  mutating func append(decimal value: Int, rightAlignedTo width: Int) {
    var digits = 1
    var rest = value / 10
    while rest > 0 {
      digits += 1
      rest /= 10
    }
    if value >= 0 { appendSpaces(width - digits) }
    append(decimal: value)
  }
}
