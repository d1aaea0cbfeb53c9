/// The lines a pass has read, each with what the fast parser made of it, so that a line met
/// again — a long script repeats a few statements, `set cr4.SMEP` or `vcpu 1` a million
/// times — is not parsed again and its statement's text is not decoded again.
///
/// Parsing a line the fast parser reads depends on its bytes only, not on the lines before it
/// (line 1 aside: it may start with a byte order mark, so it is never kept). Lines it does not
/// read (errors, the rarer statements) are not kept. A fixed table: 256 slots, each a line of
/// at most 64 bytes found by a hash of its bytes and replaced by the next line with that hash,
/// so its memory does not grow with the script. A script whose lines seldom repeat (a million
/// different `mov cr3, 0x…`) would pay the hash, the compare and the keeping for nothing: when
/// fewer than half the lines of a stretch of 1,024 were found, the memo rests for the next
/// 65,536 lines, then tries again.
struct LineMemo {
  private static let slots = 256
  /// The longest line kept, in 8-byte words.
  private static let maxWords = 8
  private static let window = 1024
  private static let rest = 65536

  /// Slot `i` keeps the line of `lengths[i]` bytes in `stored[i * maxWords...]`, eight bytes
  /// a word, little-endian, zeros after its end.
  private var stored: [UInt64] = Array(repeating: 0, count: slots * maxWords)
  /// Each slot's line length; -1 for an empty slot.
  private var lengths: [Int] = Array(repeating: -1, count: slots)
  /// What the fast parser read on each slot's line.
  private var lines: [FastStatementParser.Line] = Array(repeating: .blank, count: slots)
  /// The statement's text on each slot's line, as bytes from the line's start.
  private var texts: [Range<Int>] = Array(repeating: 0..<0, count: slots)
  /// The text decoded, once a pass asked for it.
  private var strings: [String?] = Array(repeating: nil, count: slots)
  /// Lines looked up and lines found in the current stretch; lines left to rest.
  private var looked = 0
  private var found = 0
  private var resting = 0

  /// The slot where line `number`, the bytes `range` of `bytes`, is kept or would be, and
  /// whether it holds that line; nil when it is not kept (line 1, a line over 64 bytes, while
  /// the memo rests).
  mutating func find(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, number: Int)
    -> (slot: Int, holds: Bool)?
  {
    if resting > 0 {
      resting -= 1
      return nil
    }
    guard number != 1, range.count <= Self.maxWords * 8, let base = bytes.baseAddress else { return nil }
    let holds: Bool
    let slot: Int
    if range.count <= 16, range.lowerBound + 16 <= bytes.count {
      (slot, holds) = findShort(base + range.lowerBound, count: range.count)
    } else {
      var hash = UInt64(range.count) &* Self.multiplier
      var index = range.lowerBound
      while index < range.upperBound {
        hash = Self.mix(hash, Self.eight(base, at: index, before: range.upperBound, in: bytes.count))
        index += 8
      }
      slot = Self.slot(of: hash)
      var same = lengths[slot] == range.count
      index = range.lowerBound
      var word = slot * Self.maxWords
      while same, index < range.upperBound {
        same = stored[word] == Self.eight(base, at: index, before: range.upperBound, in: bytes.count)
        index += 8
        word += 1
      }
      holds = same
    }
    looked += 1
    if holds { found += 1 }
    if looked == Self.window {
      if found * 2 < looked { resting = Self.rest }
      looked = 0
      found = 0
    }
    return (slot, holds)
  }

  private static let multiplier: UInt64 = 0x9e37_79b9_7f4a_7c15

  /// The hash so far with the next eight bytes of the line.
  @inline(__always)
  private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
    let mixed = (hash ^ word) &* multiplier
    return mixed ^ mixed >> 29
  }

  /// The slot of a line whose bytes hashed to `hash`.
  @inline(__always)
  private static func slot(of hash: UInt64) -> Int {
    Int(truncatingIfNeeded: ((hash ^ hash >> 32) &* 0xbf58_476d_1ce4_e5b9) >> 56)
  }

  /// `find` for a line of at most 16 bytes with 16 readable from its start (most lines): its
  /// two words read at once, the same hash and slot as the general loop gives.
  @inline(__always)
  private func findShort(_ start: UnsafePointer<UInt8>, count: Int) -> (slot: Int, holds: Bool) {
    let raw = UnsafeRawPointer(start)
    let first = Self.prefix(raw.loadUnaligned(as: UInt64.self), count)
    let second = count > 8 ? Self.prefix(raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self), count - 8) : 0
    var hash = UInt64(count) &* Self.multiplier
    if count > 0 { hash = Self.mix(hash, first) }
    if count > 8 { hash = Self.mix(hash, second) }
    let slot = Self.slot(of: hash)
    let word = slot * Self.maxWords
    let holds =
      lengths[slot] == count && (count == 0 || stored[word] == first)
      && (count <= 8 || stored[word + 1] == second)
    return (slot, holds)
  }

  /// The first `count` bytes of `word` (all eight from 8 on), the rest zeros.
  @inline(__always)
  private static func prefix(_ word: UInt64, _ count: Int) -> UInt64 {
    count >= 8 ? word : word & ((1 << UInt64(truncatingIfNeeded: count << 3)) &- 1)
  }

  /// The eight bytes at `index` (those from `end` on as zeros), of a buffer of `count` bytes.
  @inline(__always)
  private static func eight(_ base: UnsafePointer<UInt8>, at index: Int, before end: Int, in count: Int)
    -> UInt64
  {
    let left = end - index
    if index + 8 <= count {
      let value = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
      return left >= 8 ? value : value & ((1 << UInt64(truncatingIfNeeded: left << 3)) &- 1)
    }
    var value: UInt64 = 0
    for offset in 0..<min(left, 8) { value |= UInt64(base[index + offset]) << UInt64(offset << 3) }
    return value
  }

  /// What the fast parser read on the line `slot` keeps.
  func line(in slot: Int) -> FastStatementParser.Line { lines[slot] }

  /// The statement's text on the line `slot` keeps, as bytes from the line's start.
  func text(in slot: Int) -> Range<Int> { texts[slot] }

  /// The text decoded, if a pass asked for it before.
  func string(in slot: Int) -> String? { strings[slot] }

  /// Keeps the line `range` of `bytes` in `slot`, with what the fast parser read there (`text`
  /// as bytes of `bytes`) and its text decoded, if it was.
  mutating func keep(
    _ line: FastStatementParser.Line, text: Range<Int>, string: String?,
    for bytes: UnsafeBufferPointer<UInt8>,
    _ range: Range<Int>, in slot: Int
  ) {
    guard let base = bytes.baseAddress else { return }
    var index = range.lowerBound
    var word = slot * Self.maxWords
    while index < range.upperBound {
      stored[word] = Self.eight(base, at: index, before: range.upperBound, in: bytes.count)
      index += 8
      word += 1
    }
    lengths[slot] = range.count
    lines[slot] = line
    texts[slot] = text.lowerBound - range.lowerBound..<text.upperBound - range.lowerBound
    strings[slot] = string
  }

  /// Keeps `string` as the text of the line in `slot`.
  mutating func keep(text string: String, in slot: Int) { strings[slot] = string }
}
