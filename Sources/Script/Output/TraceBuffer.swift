/// Trace text being built as UTF-8 bytes: what the traces render into, so that a record costs
/// a few copies into one reused buffer instead of a string per piece.
///
/// A value type: the bytes live in a block of memory shared by copies of the buffer until one
/// of them changes it (copy-on-write, as `Array` does), but appending costs one check and a
/// copy, with no closure and no array bookkeeping. Sendable as `Array` is: `base` points into
/// `storage`, and a buffer writes there only while it holds the only reference to it.
public struct TraceBuffer: @unchecked Sendable {
  /// Owns the bytes; `nil` until the first byte, so that an empty buffer costs no allocation.
  private var storage: Storage?
  /// Where the bytes live (`storage`'s block): `base[..<count]` holds them.
  private var base: UnsafeMutablePointer<UInt8>?
  /// How many bytes fit in `base`.
  private var capacity = 0
  /// How many bytes the buffer holds.
  public private(set) var count = 0
  /// Whether appends skip asking whether the bytes are shared (`beginExclusiveAppends`).
  private var exclusive = false

  /// A block of bytes, written only through a buffer that holds the only reference to it.
  final class Storage: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>

    init(capacity: Int) {
      base = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    }

    deinit { base.deallocate() }
  }

  /// An empty buffer.
  public init() {}

  /// Empties the buffer, keeping its capacity.
  public mutating func removeAll() { count = 0 }

  /// Drops the bytes after the first `newCount` (at most `count`).
  mutating func removeBytes(after newCount: Int) { count = min(count, max(newCount, 0)) }

  /// The bytes so far.
  public var bytes: ArraySlice<UInt8> { withBytes { ArraySlice($0) } }

  /// The bytes as a string.
  public var text: String { withBytes { String(decoding: $0, as: UTF8.self) } }

  /// Calls `body` with the bytes so far.
  public func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
    withExtendedLifetime(storage) { body(UnsafeBufferPointer(start: base, count: count)) }
  }

  /// Room for `extra` more bytes at the end, in memory this buffer alone holds: where to write
  /// them. Write at most `extra` bytes there, then count them.
  @inline(__always)
  mutating func room(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
    if count + extra <= capacity, exclusive || isKnownUniquelyReferenced(&storage), let base {
      return base + count
    }
    return grow(extra)
  }

  /// Makes the bytes this buffer's own and, until `endExclusiveAppends`, lets appends write
  /// there without asking again whether they are shared: a record's rendering makes some
  /// twenty appends, and each question is a call into the runtime.
  ///
  /// Until `endExclusiveAppends`, the caller must not copy the buffer (a copy would write into
  /// the same bytes); the renderers only append to the buffer they are given.
  mutating func beginExclusiveAppends() {
    if storage != nil, !isKnownUniquelyReferenced(&storage) { _ = grow(0) }
    exclusive = true
  }

  /// Ends `beginExclusiveAppends`: appends ask again whether the bytes are shared.
  mutating func endExclusiveAppends() { exclusive = false }

  /// Counts `written` bytes written where `room` said.
  @inline(__always)
  mutating func commit(_ written: Int) { count += written }

  /// A block of its own with room for `extra` more bytes, the bytes so far copied into it.
  @inline(never)
  private mutating func grow(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
    if count + extra > capacity { capacity = max(2 * capacity, count + extra, 1024) }
    let fresh = Storage(capacity: capacity)
    if let base, count > 0 { fresh.base.update(from: base, count: count) }
    storage = fresh
    base = fresh.base
    return fresh.base + count
  }

  /// Appends `source`.
  @inline(__always)
  public mutating func append(_ source: UnsafeBufferPointer<UInt8>) {
    guard let base = source.baseAddress else { return }
    let length = source.count
    let at = room(length)
    if length <= 16 {
      for index in 0..<length { at[index] = base[index] }
    } else {
      at.update(from: base, count: length)
    }
    count += length
  }

  /// Disfavoured, so that a literal goes to the `StaticString` overload (a plain copy).
  @_disfavoredOverload
  mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { append($0) }
  }

  mutating func append(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { append($0) }
  }

  /// Appends another buffer's bytes.
  mutating func append(_ other: TraceBuffer) {
    other.withBytes { append($0) }
  }

  @inline(__always)
  mutating func append(_ text: StaticString) {
    append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  /// Appends one byte.
  @inline(__always)
  public mutating func append(byte: UInt8) {
    room(1).pointee = byte
    count += 1
  }

  /// Drops the bytes from `index` on.
  mutating func truncate(to index: Int) { count = max(0, min(count, index)) }

  /// Replaces each control character from byte `start` on with `?`, as `TerminalSafe.text`
  /// does: a C0 byte but the line feed and tab, DEL, or a C1 character (UTF-8 `C2 80`–`C2 9F`).
  /// Text without one (every ordinary record) is read eight bytes at a time and left alone.
  mutating func makeTerminalSafe(from start: Int) {
    guard let found = withBytes({ TerminalSafe.firstControl(in: $0, from: start) }) else { return }
    let end = count
    let room = room(0) - count  // the bytes, in memory this buffer alone holds
    var read = found
    var write = found
    while read < end {
      if TerminalSafe.isControl(UnsafePointer(room), at: read, end: end) {
        read += room[read] == 0xC2 ? 2 : 1
        room[write] = UInt8(ascii: "?")
      } else {
        room[write] = room[read]
        read += 1
      }
      write += 1
    }
    count = write
  }

  mutating func appendSpaces(_ count: Int) {
    guard count > 0 else { return }
    let at = room(count)
    at.initialize(repeating: UInt8(ascii: " "), count: count)
    self.count += count
  }

  /// `value` in decimal.
  mutating func append(decimal value: Int) {
    guard value >= 0 else { return append(String(value)) }
    // Unsigned, two digits a step: line numbers are written on every record.
    var rest = UInt64(value)
    let digits = Self.decimalDigits(rest)
    let at = room(digits)
    var index = digits
    while rest >= 100 {
      let pair = rest % 100
      rest /= 100
      index -= 2
      Self.writePair(pair, at: at + index)
    }
    if rest >= 10 {
      Self.writePair(rest, at: at)
    } else {
      at.pointee = ASCII.zero &+ UInt8(truncatingIfNeeded: rest)
    }
    count += digits
  }

  /// How many decimal digits `value` has.
  @inline(__always)
  private static func decimalDigits(_ value: UInt64) -> Int {
    var digits = 1
    var limit: UInt64 = 10
    while digits < 20, value >= limit {
      digits += 1
      limit &*= 10
    }
    return digits
  }

  /// The two digits of `pair` (0–99) at `at`: the tens by multiplying by 103/1024, exact below 100.
  @inline(__always)
  private static func writePair(_ pair: UInt64, at: UnsafeMutablePointer<UInt8>) {
    let tens = (pair &* 103) >> 10
    at[0] = ASCII.zero &+ UInt8(truncatingIfNeeded: tens)
    at[1] = ASCII.zero &+ UInt8(truncatingIfNeeded: pair &- tens &* 10)
  }

  /// `value` as `Hex.short` writes it: `0x` and lowercase digits without leading zeros.
  mutating func append(hex value: UInt64) {
    let digits = value == 0 ? 1 : (67 - value.leadingZeroBitCount) / 4
    // Eight digits at a time (`SWAR.hexDigits`), each word stored whole: room for the 8 bytes
    // a store writes, only the digits counted.
    let at = room(2 + max(digits, 8))
    at[0] = ASCII.zero
    at[1] = ASCII.lowerX
    if digits > 8 {
      let high = digits - 8
      let word = SWAR.hexDigits(UInt32(truncatingIfNeeded: value &>> 32)) &>> UInt64((8 - high) * 8)
      UnsafeMutableRawPointer(at + 2).storeBytes(of: word.littleEndian, as: UInt64.self)
      let low = SWAR.hexDigits(UInt32(truncatingIfNeeded: value))
      UnsafeMutableRawPointer(at + 2 + high).storeBytes(of: low.littleEndian, as: UInt64.self)
    } else {
      let word = SWAR.hexDigits(UInt32(truncatingIfNeeded: value)) &>> UInt64((8 - digits) * 8)
      UnsafeMutableRawPointer(at + 2).storeBytes(of: word.littleEndian, as: UInt64.self)
    }
    count += digits + 2
  }

  /// `value` right-aligned in `width` columns.
  mutating func append(decimal value: Int, rightAlignedTo width: Int) {
    if value >= 0 { appendSpaces(width - Self.decimalDigits(UInt64(value))) }
    append(decimal: value)
  }
}
