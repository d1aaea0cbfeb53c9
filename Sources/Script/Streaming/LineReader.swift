#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Splits a script read in chunks into its lines, keeping at most one chunk and one line in
/// memory: whatever the script's length, the reader holds about `chunkSize + maxLineBytes`
/// bytes.
///
/// Not generic: the input is read through an existential once a chunk, so the per-line work
/// (here, in `ScriptStream` and the parsers) is compiled once, for concrete types.
///
/// Lines end at `\n` (a trailing `\r` stays on the line; the lexer skips it). A line longer
/// than `maxLineBytes` bytes has more than `Lexer.maxLineLength` characters, so it can only be
/// an error: the reader hands on its first `maxLineBytes` bytes (enough for the lexer's
/// "line too long" and for the error's excerpt) and skips the rest.
struct LineReader {
  /// How many bytes one read asks for.
  static var chunkSize: Int { 64 << 10 }
  /// The longest line kept whole: 4 bytes for each of 4,200 characters, more than
  /// `Lexer.maxLineLength` plus the 80 characters an error excerpt shows after the column.
  static var maxLineBytes: Int { 4 * 4200 }

  private var input: any ScriptInput
  /// The bytes read and not yet handed on; `buffer[start..<filled]` is what is left.
  private let storage: ByteStorage
  /// The bytes read, valid until the next call of `next`.
  var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(storage.bytes) }
  private var start = 0
  private var filled = 0
  /// Where the search for the next `\n` resumes (the bytes before it have none).
  private var scanned = 0
  private var atEnd = false
  /// Whether the rest of an overlong line is being skipped.
  private var skipping = false
  /// The number of the last line handed on (1-based).
  private(set) var lineNumber = 0
  /// Checks the encoding of every byte read, when set.
  private var encoding: UTF8Check?
  /// The first byte that is not UTF-8, once the check found one.
  private(set) var encodingFailure: EncodingFailure?

  /// A reader of `input`; with `checkingEncoding`, every byte is checked to be UTF-8
  /// (`encodingFailure` has the first that is not).
  init(_ input: any ScriptInput, checkingEncoding: Bool = false) {
    self.input = input
    storage = ByteStorage(count: Self.chunkSize + Self.maxLineBytes)
    encoding = checkingEncoding ? UTF8Check() : nil
  }

  /// The next line as a range of `buffer` (valid until the next call), without its `\n`; nil
  /// at the end of the script.
  mutating func next() throws(ScriptInputFailure) -> Range<Int>? {
    while true {
      if let newline = findNewline() {
        let line = start..<newline
        start = newline + 1
        scanned = start
        if skipping {
          skipping = false
          continue
        }
        lineNumber += 1
        return line
      }
      if skipping {
        start = filled
        scanned = filled
      } else if filled - start > Self.maxLineBytes {
        let line = start..<start + Self.maxLineBytes
        start = filled
        scanned = filled
        skipping = true
        lineNumber += 1
        return line
      }
      if atEnd {
        guard start < filled, !skipping else { return nil }
        let line = start..<filled
        start = filled
        lineNumber += 1
        return line
      }
      try refill()
    }
  }

  private mutating func findNewline() -> Int? {
    let base = UnsafeRawPointer(storage.base)
    var found: Int?
    if scanned < filled, let hit = memchr(base + scanned, Int32(ASCII.newline), filled - scanned) {
      found = base.distance(to: UnsafeRawPointer(hit))
    }
    if found == nil { scanned = filled }
    return found
  }

  /// Moves what is left to the front and reads the next chunk after it.
  private mutating func refill() throws(ScriptInputFailure) {
    let left = filled - start
    let room = storage.bytes
    if start > 0 {
      if left > 0 { storage.base.update(from: storage.base + start, count: left) }
      scanned -= start
      start = 0
      filled = left
    }
    let at = filled
    let count = try input.read(
      into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(room)[at...]))
    if count == 0 { atEnd = true }
    filled += count
    if encoding != nil {
      let chunk = UnsafeBufferPointer(rebasing: buffer[at..<at + count])
      let isLast = atEnd
      encoding?.feed(chunk, atEnd: isLast)
      if encodingFailure == nil { encodingFailure = encoding?.failure }
    }
  }
}

/// Memory for `LineReader`'s bytes, freed with the reader.
final class ByteStorage {
  /// The first byte.
  let base: UnsafeMutablePointer<UInt8>
  /// All of them.
  let bytes: UnsafeMutableBufferPointer<UInt8>

  init(count: Int) {
    base = .allocate(capacity: count)
    base.initialize(repeating: 0, count: count)
    bytes = UnsafeMutableBufferPointer(start: base, count: count)
  }

  deinit { base.deallocate() }
}
