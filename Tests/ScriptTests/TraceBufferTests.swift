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
}
