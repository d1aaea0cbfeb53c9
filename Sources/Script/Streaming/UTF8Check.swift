/// A byte that is not UTF-8, where it is: reported as
/// `PATH:LINE:COL: error: invalid UTF-8 (byte 0x… at offset N): scripts must be UTF-8 text`.
public struct EncodingFailure: Error, Equatable, Sendable {
  /// The 1-based line and column (in characters) of the bad byte.
  public let line: Int
  public let column: Int
  /// Its offset in the file.
  public let offset: Int
  /// The byte.
  public let byte: UInt8
  /// How many bytes the decoder rejects there.
  public let length: Int

  /// The message after `PATH:`.
  public var message: String {
    let hex = String(byte, radix: 16)
    return "\(line):\(column): error: invalid UTF-8 (byte 0x\(hex.count == 1 ? "0" : "")\(hex) "
      + "at offset \(offset)\(length > 1 ? ", \(length) bytes" : "")): scripts must be UTF-8 text"
  }
}

/// Checks a script's bytes, fed in chunks, to be UTF-8, as the standard library's decoder
/// reads them: the first failure is kept with its line and column.
///
/// Invalid UTF-8 is an error, not decoded lossily: a script with mangled bytes should not
/// half-run. NUL and other control characters are fine here; the parser reports them.
struct UTF8Check {
  /// The first bad byte, once found (later bytes are not looked at).
  private(set) var failure: EncodingFailure?
  private var line = 1
  private var column = 1
  private var offset = 0
  /// The start of a character that the previous chunk cut (at most 3 bytes).
  private var carry: [UInt8] = []

  /// Checks the next `chunk`; `atEnd` when no bytes follow it.
  mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, atEnd: Bool) {
    guard failure == nil else { return }
    if carry.isEmpty {
      check(chunk, atEnd: atEnd)
    } else {
      let joined = carry + Array(chunk)
      carry = []
      joined.withUnsafeBufferPointer { check($0, atEnd: atEnd) }
    }
  }

  private mutating func check(_ bytes: UnsafeBufferPointer<UInt8>, atEnd: Bool) {
    var index = 0
    while index < bytes.count {
      if index + 8 <= bytes.count, let base = bytes.baseAddress {
        // Eight ASCII bytes at a time: only their newlines matter.
        let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
        if word & SWAR.highBits == 0 {
          let newlines = SWAR.zeroBytes(word ^ SWAR.repeated(ASCII.newline))
          if newlines == 0 {
            column += 8
          } else {
            line += newlines.nonzeroBitCount
            // The last newline is byte `last` of the eight (little-endian); the column counts
            // the bytes after it.
            let last = (63 - newlines.leadingZeroBitCount) >> 3
            column = 8 - last
          }
          index += 8
          offset += 8
          continue
        }
      }
      let byte = bytes[index]
      if byte < 0x80 {
        if byte == ASCII.newline {
          line += 1
          column = 1
        } else {
          column += 1
        }
        index += 1
        offset += 1
        continue
      }
      let window = Array(bytes[index..<min(index + 4, bytes.count)])
      if window.count < 4, !atEnd {
        carry = window
        return
      }
      var parser = Unicode.UTF8.ForwardParser()
      var iterator = window.makeIterator()
      switch parser.parseScalar(from: &iterator) {
      case .valid(let encoded):
        index += encoded.count
        offset += encoded.count
        column += 1
      case .error(let length):
        failure = EncodingFailure(line: line, column: column, offset: offset, byte: byte, length: length)
        return
      case .emptyInput:
        return
      }
    }
  }
}
