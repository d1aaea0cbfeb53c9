/// A script read from a file or standard input, checked to be UTF-8 text.
///
/// Invalid UTF-8 is an error (reported with the line and column of the first bad byte), not
/// decoded lossily: a script with mangled bytes should not half-run. NUL and other control
/// characters decode fine and are reported by the parser as unexpected characters.
struct ScriptSource {
  /// The path as messages show it: the path given, or `<stdin>` for `-`.
  let displayPath: String
  /// The text.
  let text: String

  /// Scripts larger than this are refused rather than read into memory. Only `compare` and
  /// `export` read a script whole (`run` and `scenario` stream it: `ScriptFile`); a statement
  /// costs about 250 bytes once parsed, so 16 MiB of the shortest statements stays under about
  /// 1 GiB.
  static let maxBytes = 16 << 20

  /// A failure to read, already worded as `PATH: error: …` (or `PATH:LINE:COL: error: …`).
  struct Failure: Error {
    let message: String
  }

  static func read(_ path: String) throws(Failure) -> ScriptSource {
    let display = InputFile.displayPath(path)
    let bytes: [UInt8]
    do {
      bytes = try InputFile.bytes(path, maxBytes: maxBytes, noun: "a script")
    } catch {
      throw Failure(message: error.message)
    }
    return ScriptSource(displayPath: display, text: try decode(bytes, display: display))
  }

  /// Strict UTF-8 decoding; the first invalid byte is reported with its line and column.
  private static func decode(_ bytes: [UInt8], display: String) throws(Failure) -> String {
    if let text = String(validating: bytes, as: UTF8.self) { return text }
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    var scalars = String.UnicodeScalarView()
    var line = 1
    var column = 1
    var offset = 0
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let encoded):
        let scalar = Unicode.UTF8.decode(encoded)
        scalars.append(scalar)
        offset += encoded.count
        if scalar == "\n" {
          line += 1
          column = 1
        } else {
          column += 1
        }
      case .emptyInput:
        return String(scalars)
      case .error(let length):
        let byte = offset < bytes.count ? bytes[offset] : 0
        let hex = String(byte, radix: 16)
        throw Failure(
          message:
            "\(display):\(line):\(column): error: invalid UTF-8 (byte 0x\(hex.count == 1 ? "0" : "")\(hex) "
            + "at offset \(offset)\(length > 1 ? ", \(length) bytes" : "")): scripts must be UTF-8 text")
      }
    }
  }
}
