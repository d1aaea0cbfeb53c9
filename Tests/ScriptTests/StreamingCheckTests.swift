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
        // Alone in its buffer, and followed by a `\n` and more carriage returns.
        for padding in ["", "\n\r\rx\r\r\r\r\r\r\r\r\r"] {
          let bytes = Array((line + padding).utf8)
          let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(ScriptError) in try LineEnds.checked(buffer, 0..<line.utf8.count, number: 2) }
          }
          switch result {
          case .success(let range):
            #expect(!refused && range == 0..<line.utf8.count, "\(line.debugDescription)")
          case .failure(let error):
            #expect(refused && error.column == length + 1, "\(line.debugDescription)")
          }
        }
      }
    }
  }

  /// What a parser makes of a line, comparable: the error, or the statement and its text.
  static func describe(_ parser: inout LineParser, _ line: String, number: Int, text: Bool) -> String {
    let bytes = Array(line.utf8)
    do throws(ScriptError) {
      let read = try bytes.withUnsafeBufferPointer { buffer throws(ScriptError) in
        try parser.parse(buffer, 0..<buffer.count, number: number, text: text)
      }
      switch read {
      case .blank: return "blank"
      case .fast(let instruction, let text, let computesValue):
        return "fast \(instruction) \(text) \(computesValue)"
      case .general(let statement): return "general \(statement)"
      }
    } catch {
      return "error \(error)"
    }
  }

  @Test("a line read again (kept by the line memo) reads as a fresh parser reads it")
  func memoizedLines() {
    let pool = FastParserTests.benchLines + FastParserTests.edgeLines + StreamingRunnerTests.edgeLines
    var random = SplitMix64(seed: 0x3e30)
    var memoized = LineParser()
    var checking = LineParser()
    var order = StatementOrder(initialVCPUs: 8)
    for number in 1...3000 {
      let line = pool[Int(random.next() % UInt64(pool.count))]
      var fresh = LineParser()
      let text = number % 2 == 0
      #expect(
        Self.describe(&memoized, line, number: number, text: text)
          == Self.describe(&fresh, line, number: number, text: text), "\(line.debugDescription)")
      // The first pass's parser: the same lines fail or pass (`vcpus N` aside: only first).
      func check(_ parser: inout LineParser, _ order: inout StatementOrder) -> ScriptError? {
        let bytes = Array(line.utf8)
        do throws(ScriptError) {
          try bytes.withUnsafeBufferPointer { buffer throws(ScriptError) in
            try parser.check(buffer, 0..<buffer.count, number: number, order: &order)
          }
          return nil
        } catch {
          return error
        }
      }
      var freshOrder = StatementOrder(initialVCPUs: 8)
      var freshChecker = LineParser()
      let checked = check(&checking, &order)
      let expected = check(&freshChecker, &freshOrder)
      #expect(checked == expected || line.lowercased().hasPrefix("vcpus"), "\(line.debugDescription)")
    }
  }

  @Test("line 1's byte order mark is skipped, the same bytes on a later line are an error, memo or not")
  func byteOrderMark() {
    var parser = LineParser()
    let line = "\u{FEFF}set cr4.SMEP"
    #expect(Self.describe(&parser, line, number: 1, text: true).hasPrefix("fast"))
    #expect(Self.describe(&parser, line, number: 2, text: true).hasPrefix("error"))
    #expect(Self.describe(&parser, line, number: 3, text: true).hasPrefix("error"))
    #expect(Self.describe(&parser, "set cr4.SMEP", number: 4, text: true).hasPrefix("fast"))
  }

  @Test("lines that seldom repeat (the memo rests), then lines that do, read as a fresh parser reads them")
  func restingMemo() {
    var memoized = LineParser()
    for number in 2...4000 {
      let line = number < 2500 ? "mov cr3, 0x\(String(number, radix: 16))000" : "mov cr3, 0x\(number % 7)000"
      var fresh = LineParser()
      #expect(
        Self.describe(&memoized, line, number: number, text: true)
          == Self.describe(&fresh, line, number: number, text: true), "\(line)")
    }
  }
}
