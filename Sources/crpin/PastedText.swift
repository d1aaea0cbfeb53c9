/// Text pasted into a file or standard input for `crpin explain --from` (a kernel log, QEMU
/// or gdb output). Decoded leniently — a stray invalid byte in a log becomes U+FFFD rather than
/// an error — and capped at `maxBytes`.
enum PastedText {
  /// Larger inputs are refused: a register dump is a few kilobytes.
  static let maxBytes = 16 << 20

  /// A failure to read, worded as `PATH: error: …`.
  struct Failure: Error {
    let message: String
  }

  /// The text of `path`, or of standard input for `-`.
  static func read(_ path: String) throws(Failure) -> String {
    do {
      return String(
        decoding: try InputFile.bytes(path, maxBytes: maxBytes, noun: "a register dump"), as: UTF8.self)
    } catch {
      throw Failure(message: error.message)
    }
  }
}
