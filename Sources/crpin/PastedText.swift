import Foundation

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
    let display = path == "-" ? "<stdin>" : path
    let handle: FileHandle
    if path == "-" {
      handle = FileHandle.standardInput
    } else {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw Failure(message: "\(display): error: no such file")
      }
      guard !isDirectory.boolValue else { throw Failure(message: "\(display): error: is a directory") }
      guard let opened = FileHandle(forReadingAtPath: path) else {
        throw Failure(message: "\(display): error: cannot open it for reading")
      }
      handle = opened
    }
    defer { if path != "-" { try? handle.close() } }
    var bytes = [UInt8]()
    while true {
      let chunk: Data?
      do {
        chunk = try handle.read(upToCount: 1 << 20)
      } catch {
        throw Failure(message: "\(display): error: cannot read it (\(error.localizedDescription))")
      }
      guard let chunk, !chunk.isEmpty else { break }
      bytes.append(contentsOf: chunk)
      if bytes.count > maxBytes {
        throw Failure(message: "\(display): error: larger than \(maxBytes >> 20) MiB: not a register dump")
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
