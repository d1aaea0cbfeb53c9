import SeededRandom
import Testing

@testable import Script

/// The first pass's byte checks, which read eight bytes at a time: the UTF-8 check's line and
/// column, and the carriage-return check, against a byte-by-byte reference.
@Suite("streaming byte checks")
struct StreamingCheckTests {
  /// The line and column (in characters) of byte `offset` of ASCII `bytes`.
  static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    for byte in bytes[..<offset] {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return (line, column)
  }

  @Test("an invalid byte after random ASCII lines is reported at its line and column")
  func utf8Position() {
    var random = SplitMix64(seed: 0x0f8)
    let alphabet = Array("ab \n\t#".utf8)
    for _ in 0..<400 {
      let length = Int(random.next() % 40)
      var bytes = (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
      bytes.append(0xFF)
      bytes += Array("tail\n".utf8)
      var check = UTF8Check()
      bytes.withUnsafeBufferPointer { check.feed($0, atEnd: true) }
      let expected = Self.position(of: length, in: bytes)
      #expect(check.failure?.line == expected.line, "\(bytes)")
      #expect(check.failure?.column == expected.column, "\(bytes)")
      #expect(check.failure?.offset == length && check.failure?.byte == 0xFF, "\(bytes)")
    }
  }

  @Test("a carriage return with text after it is refused wherever it is; a trailing one is not")
  func carriageReturns() {
    for length in 0..<20 {
      let prefix = String(repeating: "x", count: length)
      for (line, refused) in [(prefix + "\rmov", true), (prefix + "\r", false), (prefix + "\r \t\r", false)] {
        let bytes = Array(line.utf8)
        let result = bytes.withUnsafeBufferPointer { buffer in
          Result { () throws(ScriptError) in try LineEnds.checked(buffer, 0..<buffer.count, number: 2) }
        }
        switch result {
        case .success: #expect(!refused, "\(line.debugDescription)")
        case .failure(let error): #expect(refused && error.column == length + 1, "\(line.debugDescription)")
        }
      }
    }
  }
}
