#if canImport(Glibc)
  import Glibc
  private let systemWrite = Glibc.write
#elseif canImport(Darwin)
  import Darwin
  private let systemWrite = Darwin.write
#endif

/// The `--record` file: statements appended and flushed to disk as they happen, so nothing is
/// lost on a crash or signal; rewritten atomically (temporary file, then rename) after undo.
struct RecordFile {
  /// Why the file could not be opened.
  struct OpenError: Error {
    let message: String
  }

  let path: String

  /// Checks that `path` can be written (creating or truncating it).
  init(path: String) throws(OpenError) {
    self.path = path
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw OpenError(message: "cannot write the record file \(path): \(String(cString: strerror(errno)))")
    }
    close(fd)
  }

  /// Appends `lines` and syncs; an error message if that failed.
  func append(_ lines: [String]) -> String? {
    guard !lines.isEmpty else { return nil }
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return failure("open") }
    defer { close(fd) }
    return write(lines, to: fd) ? nil : failure("write")
  }

  /// Replaces the file's contents with `lines`, atomically; an error message if that failed.
  func rewrite(_ lines: [String]) -> String? {
    let temporary = path + ".tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return failure("open") }
    let written = write(lines, to: fd)
    close(fd)
    guard written, rename(temporary, path) == 0 else {
      unlink(temporary)
      return failure("rewrite")
    }
    return nil
  }

  private func write(_ lines: [String], to fd: Int32) -> Bool {
    let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        return false
      }
      offset += count
    }
    return fsync(fd) == 0
  }

  private func failure(_ what: String) -> String {
    "record file \(path): \(what) failed: \(String(cString: strerror(errno)))"
  }
}
