import Foundation

/// The bytes of a file, or of standard input for `-`, read the same way for every command that
/// takes one: a clear `PATH: error: …` for a missing file, a directory, a file that cannot be
/// opened or read, or one larger than `maxBytes`.
enum InputFile {
  /// A failure to read, worded as `PATH: error: …`.
  struct Failure: Error {
    let message: String
  }

  /// The path as messages show it: the path given, or `<stdin>` for `-`.
  static func displayPath(_ path: String) -> String { path == "-" ? "<stdin>" : path }

  /// The bytes of `path`; `noun` names what the file should have been (`a script`).
  static func bytes(_ path: String, maxBytes: Int, noun: String) throws(Failure) -> [UInt8] {
    let display = displayPath(path)
    let handle: FileHandle
    if path == "-" {
      handle = FileHandle.standardInput
    } else {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw Failure(message: "\(display): error: no such file")
      }
      guard !isDirectory.boolValue else {
        throw Failure(message: "\(display): error: is a directory, not \(noun)")
      }
      let descriptor = open(path, O_RDONLY | O_CLOEXEC)
      guard descriptor >= 0 else {
        throw Failure(
          message: "\(display): error: cannot open it for reading: \(String(cString: strerror(errno)))")
      }
      handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
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
        throw Failure(message: "\(display): error: larger than \(maxBytes >> 20) MiB: not \(noun)")
      }
    }
    return bytes
  }
}
