/// Trace text being built as UTF-8 bytes: what the traces render into, so that a record costs
/// a few copies into one reused buffer instead of a string per piece.
public struct TraceBuffer: Sendable {
  /// The bytes so far.
  public private(set) var bytes: [UInt8] = []

  /// An empty buffer.
  public init() {}

  /// Empties the buffer, keeping its capacity.
  public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

  /// The bytes as a string.
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { bytes.append(contentsOf: $0) }
  }

  mutating func append(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  mutating func append(byte: UInt8) { bytes.append(byte) }

  mutating func appendSpaces(_ count: Int) {
    for _ in 0..<max(0, count) { bytes.append(ASCII.space) }
  }

  /// `text`, then spaces to `width` characters; one space when it is `width` or longer.
  mutating func append(_ text: String, paddedTo width: Int) {
    let start = bytes.count
    append(text)
    var ascii = true
    for index in start..<bytes.count where bytes[index] >= 0x80 {
      ascii = false
      break
    }
    let count = ascii ? bytes.count - start : text.count
    appendSpaces(count >= width ? 1 : width - count)
  }

  /// `value` in decimal.
  mutating func append(decimal value: Int) {
    guard value >= 0 else { return append(String(value)) }
    let start = bytes.count
    var rest = value
    repeat {
      bytes.append(ASCII.zero + UInt8(rest % 10))
      rest /= 10
    } while rest > 0
    bytes[start...].reverse()
  }

  /// `value` as `Hex.short` writes it: `0x` and lowercase digits without leading zeros.
  mutating func append(hex value: UInt64) {
    bytes.append(ASCII.zero)
    bytes.append(ASCII.lowerX)
    var shift = 60
    while shift > 0, (value >> UInt64(shift)) & 0xf == 0 { shift -= 4 }
    while shift >= 0 {
      let digit = UInt8((value >> UInt64(shift)) & 0xf)
      bytes.append(digit < 10 ? ASCII.zero + digit : UInt8(ascii: "a") + digit - 10)
      shift -= 4
    }
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
