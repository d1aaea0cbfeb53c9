/// Byte tricks on eight bytes at once (a `UInt64` loaded little-endian).
enum SWAR {
  /// The high bit of each byte.
  static let highBits: UInt64 = 0x8080_8080_8080_8080

  /// `byte` in each of the eight bytes.
  @inline(__always)
  static func repeated(_ byte: UInt8) -> UInt64 { UInt64(byte) &* 0x0101_0101_0101_0101 }

  /// 0x80 in each byte of `word` in `low...high` (both below 0x80), 0 in every other; `word`'s
  /// bytes must be below 0x80.
  @inline(__always)
  static func inRange(_ word: UInt64, _ low: UInt8, _ high: UInt8) -> UInt64 {
    let atLeastLow = word &+ repeated(0x80 &- low)
    let aboveHigh = word &+ repeated(0x7f &- high)
    return atLeastLow & ~aboveHigh & highBits
  }

  /// 0x80 in each byte of `word` that continues a word (`[A-Za-z0-9_.-]`, as
  /// `ASCII.isWordContinuation`), 0 in every other.
  @inline(__always)
  static func wordCharacters(_ word: UInt64) -> UInt64 {
    let ascii = ~word & highBits
    let low = word & 0x7f7f_7f7f_7f7f_7f7f
    let letters = inRange(low | repeated(0x20), UInt8(ascii: "a"), UInt8(ascii: "z"))
    let digitsDashDot =
      inRange(low, UInt8(ascii: "-"), UInt8(ascii: "9")) & ~zeroBytes(low ^ repeated(UInt8(ascii: "/")))
    let underscore = zeroBytes(low ^ repeated(UInt8(ascii: "_")))
    return (letters | digitsDashDot | underscore) & ascii
  }

  /// 0x80 in each byte of `word` that is `A`-`Z`, 0 in every other.
  @inline(__always)
  static func upperCase(_ word: UInt64) -> UInt64 {
    inRange(word & 0x7f7f_7f7f_7f7f_7f7f, UInt8(ascii: "A"), UInt8(ascii: "Z")) & ~word & highBits
  }

  /// Nonzero when some byte of `word` is below `byte` (at most 0x80), zero when none is. Only
  /// whether, not which: a borrow from a byte that is below can mark the bytes above it.
  @inline(__always)
  static func someBelow(_ word: UInt64, _ byte: UInt8) -> UInt64 {
    (word &- repeated(byte)) & ~word & highBits
  }

  /// Nonzero when some byte of `word` is `byte`, zero when none is (as `someBelow`: whether,
  /// not which).
  @inline(__always)
  static func someEqual(_ word: UInt64, _ byte: UInt8) -> UInt64 { someBelow(word ^ repeated(byte), 1) }

  /// The eight lower-case hex digits of `value`, most significant first when the word is
  /// stored little-endian (its lowest byte is the first digit).
  @inline(__always)
  static func hexDigits(_ value: UInt32) -> UInt64 {
    // Each nibble into a byte of its own, the lowest nibble in the lowest byte.
    var nibbles = UInt64(value)
    nibbles = (nibbles | nibbles << 16) & 0x0000_ffff_0000_ffff
    nibbles = (nibbles | nibbles << 8) & 0x00ff_00ff_00ff_00ff
    nibbles = (nibbles | nibbles << 4) & 0x0f0f_0f0f_0f0f_0f0f
    // 1 in each byte whose nibble is 10 or more: those become letters, 'a' - '0' - 10 further.
    let letters = ((nibbles &+ repeated(6)) >> 4) & repeated(1)
    let ascii = nibbles &+ repeated(ASCII.zero) &+ letters &* UInt64(UInt8(ascii: "a") - ASCII.zero - 10)
    return ascii.byteSwapped
  }

  /// 0x80 in each byte of `word` that is zero, 0 in every other (exact: no false positives).
  @inline(__always)
  static func zeroBytes(_ word: UInt64) -> UInt64 {
    let low: UInt64 = 0x7f7f_7f7f_7f7f_7f7f
    return ~(((word & low) &+ low) | word | low)
  }
}
