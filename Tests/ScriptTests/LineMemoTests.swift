import Testing

@testable import Script

/// `LineMemo` finds a line again only when every byte is the same, whatever follows it in the
/// buffer, through its short path (at most 16 bytes with 16 readable) and its general one.
@Suite("line memo")
struct LineMemoTests {
  /// `find` on `line` followed by `after` in one buffer, and the slot's `keep` when asked.
  private static func find(
    _ memo: inout LineMemo, _ line: [UInt8], after: [UInt8], keeping: Bool = false
  ) -> Bool? {
    let bytes = line + after
    return bytes.withUnsafeBufferPointer { buffer in
      let range = 0..<line.count
      guard let found = memo.find(buffer, range, number: 2) else { return nil }
      if keeping { memo.keep(.blank, text: range, string: nil, for: buffer, range, in: found.slot) }
      return found.holds
    }
  }

  @Test(
    "a line is found again only with the same bytes, whatever follows it",
    arguments: [0, 1, 7, 8, 9, 15, 16, 17, 24, 40, 64])
  func sameBytesOnly(length: Int) {
    let line = (0..<length).map { UInt8(ascii: "a") &+ UInt8($0 % 26) }
    // Nothing after the line (the general path), or more bytes than a word after it.
    for after in [[], Array("\nset cr4.SMEP\n".utf8)] {
      var memo = LineMemo()
      #expect(Self.find(&memo, line, after: after, keeping: true) == false)
      #expect(Self.find(&memo, line, after: after) == true, "kept: found again")
      #expect(
        Self.find(&memo, line, after: Array("XXXXXXXXXXXXXXXXXXXX".utf8)) == true, "other bytes after it")
      #expect(Self.find(&memo, line, after: []) == true, "at the end of the buffer")
      for index in 0..<length {
        var other = line
        other[index] = UInt8(ascii: "#")
        #expect(Self.find(&memo, other, after: after) == false, "byte \(index) differs")
      }
      // One byte longer: not found (nor kept, past 64 bytes).
      #expect(Self.find(&memo, line + [UInt8(ascii: "a")], after: after) != true, "one byte longer")
    }
  }

  /// `find`'s slot for `line` (nothing after it in the buffer when `atEnd`).
  private static func slot(_ memo: inout LineMemo, _ line: [UInt8], atEnd: Bool) -> Int? {
    let bytes = line + (atEnd ? [] : Array("\nclear cr4.SMEP\n".utf8))
    return bytes.withUnsafeBufferPointer { memo.find($0, 0..<line.count, number: 2)?.slot }
  }

  @Test(
    "a different line that lands in the same slot is not taken for the one kept there",
    arguments: [3, 8, 12, 16, 20, 40])
  func sameSlotOtherLine(length: Int) throws {
    let line = Array(repeating: UInt8(ascii: "m"), count: length)
    for atEnd in [false, true] {
      var memo = LineMemo()
      _ = Self.find(&memo, line, after: atEnd ? [] : Array("\n".utf8), keeping: true)
      let kept = try #require(Self.slot(&memo, line, atEnd: atEnd))
      var collisions = 0
      // Lines that differ in their last two bytes, until a few share the slot (each does with
      // a chance of 1 in 256). The kept line is looked up between them, so that the memo
      // finds half of what it looks up and does not rest.
      for variant in 1..<20_000 where collisions < 4 {
        var other = line
        other[length - 1] = UInt8(truncatingIfNeeded: variant)
        other[max(0, length - 2)] ^= UInt8(truncatingIfNeeded: variant >> 8)
        guard other != line else { continue }
        let bytes = other + (atEnd ? [] : Array("\nclear cr4.SMEP\n".utf8))
        let found = bytes.withUnsafeBufferPointer { memo.find($0, 0..<length, number: 2) }
        if let found, found.slot == kept {
          collisions += 1
          #expect(!found.holds, "\(other) taken for \(line)")
        }
        #expect(Self.find(&memo, line, after: atEnd ? [] : Array("\n".utf8)) == true)
      }
      #expect(collisions == 4)
    }
  }
}
