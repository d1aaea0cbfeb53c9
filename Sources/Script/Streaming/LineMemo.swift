#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The lines a pass has read, each with what the fast parser made of it, so that a line met
/// again — a long script repeats a few statements, `set cr4.SMEP` or `vcpu 1` a million
/// times — is not parsed again and its statement's text is not decoded again.
///
/// Parsing a line the fast parser reads depends on its bytes only, not on the lines before it
/// (line 1 aside: it may start with a byte order mark, so it is never kept). Lines it does not
/// read (errors, the rarer statements) are not kept. A fixed table: 256 slots, each a line of
/// at most 64 bytes found by a hash of its bytes and replaced by the next line with that hash,
/// so its memory does not grow with the script; a line not found costs the hash and a compare.
struct LineMemo {
  /// What is kept of a line.
  struct Entry {
    /// What the fast parser read.
    let line: FastStatementParser.Line
    /// The statement's text, as bytes from the line's start.
    let text: Range<Int>
    /// The text decoded, once a pass asked for it.
    var string: String?
  }

  private static let slots = 256
  private static let maxBytes = 64

  /// Slot `i` keeps the line `stored[i * maxBytes..<i * maxBytes + lengths[i]]`.
  private var stored: [UInt8] = Array(repeating: 0, count: slots * maxBytes)
  /// Each slot's line length; -1 for an empty slot.
  private var lengths: [Int] = Array(repeating: -1, count: slots)
  private var entries: [Entry?] = Array(repeating: nil, count: slots)

  /// The slot where line `number`, the bytes `range` of `bytes`, is kept or would be; nil when
  /// it is never kept (line 1, a line over 64 bytes).
  func slot(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, number: Int) -> Int? {
    guard number != 1, range.count <= Self.maxBytes, let base = bytes.baseAddress else { return nil }
    var hash = UInt64(range.count) &* 0x9e37_79b9_7f4a_7c15
    var index = range.lowerBound
    while index + 8 <= range.upperBound {
      hash = (hash ^ UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) &* 0x9e37_79b9_7f4a_7c15
      hash ^= hash >> 29
      index += 8
    }
    while index < range.upperBound {
      hash = (hash ^ UInt64(base[index])) &* 0x100_0000_01b3
      index += 1
    }
    hash = (hash ^ hash >> 32) &* 0xbf58_476d_1ce4_e5b9
    return Int(truncatingIfNeeded: hash >> 56)
  }

  /// The entry in `slot`, if it keeps the line `range` of `bytes`.
  func entry(in slot: Int, for bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Entry? {
    guard lengths[slot] == range.count, let base = bytes.baseAddress else { return nil }
    let start = slot * Self.maxBytes
    let same = stored.withUnsafeBufferPointer { table in
      guard let table = table.baseAddress else { return false }
      return memcmp(table + start, base + range.lowerBound, range.count) == 0
    }
    return same ? entries[slot] : nil
  }

  /// Keeps `entry` for the line `range` of `bytes` in `slot`.
  mutating func keep(_ entry: Entry, for bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, in slot: Int)
  {
    guard let base = bytes.baseAddress else { return }
    let start = slot * Self.maxBytes
    stored.withUnsafeMutableBufferPointer { table in
      guard let table = table.baseAddress else { return }
      (table + start).update(from: base + range.lowerBound, count: range.count)
    }
    lengths[slot] = range.count
    entries[slot] = entry
  }

  /// Keeps `string` as the text of the entry in `slot`.
  mutating func keep(text string: String, in slot: Int) {
    entries[slot]?.string = string
  }
}
