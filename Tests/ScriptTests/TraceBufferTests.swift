import Engine
import SeededRandom
import Testing

@testable import Script

@Suite("trace buffer: copies keep their bytes")
struct TraceBufferTests {
  @Test("appends after a copy leave the copy as it was", arguments: [false, true])
  func copyKeepsItsBytes(exclusive: Bool) {
    var buffer = TraceBuffer()
    buffer.append("first")
    let copy = buffer
    if exclusive { buffer.beginExclusiveAppends() }
    buffer.append(" second")
    buffer.append(byte: UInt8(ascii: "!"))
    if exclusive { buffer.endExclusiveAppends() }
    #expect(copy.text == "first")
    #expect(buffer.text == "first second!")
  }

  @Test("emptied and refilled after a copy: the copy keeps its bytes", arguments: [false, true])
  func refillKeepsTheCopy(exclusive: Bool) {
    var buffer = TraceBuffer()
    buffer.append("kept by the copy")
    let copy = buffer
    buffer.removeAll()
    if exclusive { buffer.beginExclusiveAppends() }
    buffer.append("overwritten?")
    buffer.append(hex: 0x360ef0)
    if exclusive { buffer.endExclusiveAppends() }
    #expect(copy.text == "kept by the copy")
    #expect(buffer.text == "overwritten?0x360ef0")
  }

  @Test("exclusive appends grow the buffer past its first block")
  func exclusiveAppendsGrow() {
    var buffer = TraceBuffer()
    buffer.beginExclusiveAppends()
    for index in 0..<500 { buffer.append(decimal: index) }
    buffer.endExclusiveAppends()
    #expect(buffer.text == (0..<500).map(String.init).joined())
  }

  /// Every length of number, each side of each power of ten, and the extremes.
  static let numbers: [Int] =
    [0, 1, 9, 10, 11, 99, 100, 101, 12_345, 20_001, 1_000_000, Int.max, -1, -42]
    + (1...18).flatMap { power -> [Int] in
      let ten = (0..<power).reduce(1) { value, _ in value * 10 }
      return [ten - 1, ten, ten + 1]
    }

  @Test("decimals read as String(value) writes them", arguments: numbers)
  func decimal(value: Int) {
    var buffer = TraceBuffer()
    buffer.append(decimal: value)
    #expect(buffer.text == String(value))
    var aligned = TraceBuffer()
    aligned.append(decimal: value, rightAlignedTo: 6)
    let padding = String(repeating: " ", count: max(0, 6 - String(value).count))
    #expect(aligned.text == (value >= 0 ? padding : "") + String(value))
  }

  /// Every digit count with its largest and smallest value and each digit in each place, the
  /// extremes, and pseudo-random values of every width.
  static let hexValues: [UInt64] = {
    var values: [UInt64] = [0, 1, 0x9, 0xa, 0xf, 0x10, 0x360ef0, 0x8005_0033, .max]
    for digits in 1...16 {
      let top = digits == 16 ? UInt64.max : (1 << (4 * UInt64(digits))) - 1
      values += [top, (top >> 4) + 1]
      for digit in 0..<16 { values.append(UInt64(digit) << (4 * UInt64(digits - 1)) | (top >> 4)) }
    }
    var random = SplitMix64(seed: 14)
    for shift in 0..<64 { values.append(random.next() >> UInt64(shift)) }
    return values
  }()

  @Test("hexadecimals read as Hex.short writes them, and what follows lands right after")
  func hexadecimal() {
    for value in Self.hexValues {
      var buffer = TraceBuffer()
      buffer.append("[")
      buffer.append(hex: value)
      buffer.append("]")
      #expect(buffer.text == "[0x" + String(value, radix: 16) + "]", "\(value)")
      #expect(Hex.short(value) == "0x" + String(value, radix: 16))
    }
  }

  @Test("every rule identifier goes into JSON unescaped, as appendJSON(rule:) assumes")
  func ruleIdentifiersArePlain() {
    for rule in RuleID.allCases {
      var buffer = TraceBuffer()
      buffer.appendJSON(rule: rule)
      var reference = TraceBuffer()
      reference.appendJSON(string: rule.rawValue)
      #expect(buffer.text == reference.text, "\(rule)")
    }
  }

  /// A JSON string of `bytes` escaped one byte at a time, as `appendJSON(bytes:)` must write it.
  static func escapedOneByteAtATime(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = [UInt8(ascii: "\"")]
    var index = 0
    while index < bytes.count {
      var byte = bytes[index]
      index += 1
      if byte == 0xC2, index < bytes.count, (0x80..<0xA0).contains(bytes[index]) {
        byte = bytes[index]
        index += 1
      } else if byte >= 0x20, byte != 0x7F, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
        out.append(byte)
        continue
      }
      switch byte {
      case UInt8(ascii: "\""): out += Array("\\\"".utf8)
      case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
      case UInt8(ascii: "\n"): out += Array("\\n".utf8)
      case UInt8(ascii: "\r"): out += Array("\\r".utf8)
      case UInt8(ascii: "\t"): out += Array("\\t".utf8)
      case 0x08: out += Array("\\b".utf8)
      case 0x0C: out += Array("\\f".utf8)
      default: out += Array(("\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)).utf8)
      }
    }
    out.append(UInt8(ascii: "\""))
    return String(decoding: out, as: UTF8.self)
  }

  /// Each byte that needs a look (controls, DEL, quote, backslash, a C1 control, a C2 that
  /// starts a printable character, other UTF-8) at every position of plain text of every
  /// length up to 40, so that the eight-at-a-time skip meets it in every place of a word.
  static let specials: [[UInt8]] = [
    [0x00], [0x01], [0x0A], [0x1F], [0x7F], [UInt8(ascii: "\"")], [UInt8(ascii: "\\")], [0xC2, 0x85],
    [0xC2, 0xA0], [0xE2, 0x80, 0x94], [UInt8(ascii: " ")],
  ]

  @Test("JSON strings escape as one byte at a time would, wherever the byte falls", arguments: specials)
  func jsonEscapes(special: [UInt8]) {
    // Alone (the plain check must find it) and with a quote at the end (the escaping path
    // must copy the bytes before it and escape it).
    for length in 0...40 {
      for position in 0...length {
        for trailingQuote in [false, true] {
          var bytes = Array("In SMM the patch skips the pin check, x y".utf8.prefix(length))
          bytes.insert(contentsOf: special, at: position)
          if trailingQuote { bytes.append(UInt8(ascii: "\"")) }
          var buffer = TraceBuffer()
          buffer.appendJSON(string: String(decoding: bytes, as: UTF8.self))
          #expect(buffer.text == Self.escapedOneByteAtATime(bytes), "\(special) at \(position) of \(length)")
        }
      }
    }
  }
}
