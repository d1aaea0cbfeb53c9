#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a whole file atomically: the bytes go to `PATH.tmp` in the same directory, are synced,
/// and the temporary file is renamed over `PATH`, so a reader never sees half a file and a
/// failed write leaves the old file as it was.
enum AtomicFile {
  /// Why the file could not be written, worded for the user.
  struct Failure: Error {
    let message: String
  }

  /// Writes `text` (UTF-8) to `path`.
  static func write(_ text: String, to path: String) throws(Failure) {
    let temporary = path + ".tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw failure(path, "cannot create \(temporary)") }
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else {
        let error = failure(path, "cannot write \(temporary)")
        close(fd)
        unlink(temporary)
        throw error
      }
      offset += count
    }
    guard fsync(fd) == 0 else {
      let error = failure(path, "cannot sync \(temporary)")
      close(fd)
      unlink(temporary)
      throw error
    }
    close(fd)
    guard rename(temporary, path) == 0 else {
      let error = failure(path, "cannot rename \(temporary) to it")
      unlink(temporary)
      throw error
    }
  }

  private static func failure(_ path: String, _ what: String) -> Failure {
    Failure(message: "\(path): error: \(what): \(String(cString: strerror(errno)))")
  }

  private static func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.write(fd, buffer, count)
    #else
      Darwin.write(fd, buffer, count)
    #endif
  }
}
