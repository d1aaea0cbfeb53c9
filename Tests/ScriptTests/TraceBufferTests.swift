import Engine
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
}
