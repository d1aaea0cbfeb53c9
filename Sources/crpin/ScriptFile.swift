#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Script

/// A script file opened for `ScriptStream`'s two passes: each copy of the input reads from its
/// own offset (`pread`), so the second pass starts again at the first byte. Standard input is
/// first copied, a chunk at a time, to an unlinked temporary file, since a pipe cannot be read
/// twice.
struct ScriptFile: ScriptInput {
  /// The path as messages show it: the path given, or `<stdin>` for `-`.
  let displayPath: String
  private let descriptor: Int32
  private var offset: off_t = 0

  /// Opens `path` (`-`: standard input). The descriptor stays open until crpin exits.
  static func open(_ path: String) throws(InputFile.Failure) -> ScriptFile {
    let display = InputFile.displayPath(path)
    if path == "-", Console.inputWasClosed { throw InputFile.standardInputClosed(display) }
    let descriptor =
      path == "-" ? try spoolStandardInput(display: display) : try InputFile.open(path, noun: "a script")
    return ScriptFile(displayPath: display, descriptor: descriptor)
  }

  private init(displayPath: String, descriptor: Int32) {
    self.displayPath = displayPath
    self.descriptor = descriptor
  }

  /// Reads the next bytes from this copy's offset.
  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScriptInputFailure) -> Int {
    while true {
      let count = pread(descriptor, buffer.baseAddress, buffer.count, offset)
      if count < 0, errno == EINTR { continue }
      guard count >= 0 else {
        throw ScriptInputFailure(
          message: "\(displayPath): error: cannot read it (\(String(cString: strerror(errno))))")
      }
      offset += off_t(count)
      return count
    }
  }

  /// Standard input copied to an unlinked file in `$TMPDIR` (or /tmp).
  private static func spoolStandardInput(display: String) throws(InputFile.Failure) -> Int32 {
    let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    var template = Array((directory + "/crpin-stdin-XXXXXX").utf8CString)
    let spool = template.withUnsafeMutableBufferPointer { $0.baseAddress.map { mkstemp($0) } ?? -1 }
    guard spool >= 0 else {
      throw InputFile.Failure(
        message: "\(display): error: cannot keep standard input in \(directory) "
          + "(\(String(cString: strerror(errno))))")
    }
    template.withUnsafeBufferPointer { if let path = $0.baseAddress { unlink(path) } }
    var chunk = [UInt8](repeating: 0, count: 64 << 10)
    while true {
      let count = chunk.withUnsafeMutableBytes {
        InputFile.systemRead(STDIN_FILENO, $0.baseAddress, $0.count)
      }
      if count < 0, errno == EINTR { continue }
      guard count >= 0 else {
        throw InputFile.Failure(
          message: "\(display): error: cannot read it (\(String(cString: strerror(errno))))")
      }
      guard count > 0 else { break }
      var written = 0
      while written < count {
        let result = chunk[written..<count].withUnsafeBytes { write(spool, $0.baseAddress, $0.count) }
        if result < 0, errno == EINTR { continue }
        guard result > 0 else {
          throw InputFile.Failure(
            message: "\(display): error: cannot keep standard input in \(directory) "
              + "(\(String(cString: strerror(errno))))")
        }
        written += result
      }
    }
    return spool
  }
}
