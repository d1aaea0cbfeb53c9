#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a whole file atomically: the bytes go to a new temporary file `PATH.tmp-XXXXXX` in the
/// same directory (unique, so two writers never share one and a user's own `PATH.tmp` is left
/// alone), are synced, and the temporary file is renamed over `PATH`, then the directory is
/// synced; a reader never sees half a file and a failed write leaves the old file as it was.
/// An existing file's mode is kept, and its owner and group where crpin may set them (as root,
/// or when they are already crpin's). `OutputTarget` decides first that `PATH` is a regular
/// file or none (never a device, a FIFO or a symbolic link).
enum AtomicFile {
  /// Why the file could not be written, worded for the user.
  struct Failure: Error {
    let message: String
    /// The system's reason alone (`strerror`), for a message that words the rest itself.
    let reason: String
    /// Whether nothing was attempted (no temporary file could be made: a missing or read-only
    /// directory) rather than a write failing part-way.
    var isRefusal = false
  }

  /// Writes `text` (UTF-8) to `path`.
  static func write(_ text: String, to path: String) throws(Failure) {
    var template = Array((path + ".tmp-XXXXXX").utf8CString)
    let fd = mkstemp(&template)
    let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    guard fd >= 0 else {
      var refusal = failure(path, "cannot create a temporary file next to it")
      refusal.isRefusal = true
      throw refusal
    }
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    var existing = stat()
    if stat(path, &existing) == 0 {
      // Keep the file's owner and mode (best effort for the owner: only root may give a file away).
      _ = fchown(fd, existing.st_uid, existing.st_gid)
      fchmod(fd, existing.st_mode & 0o7777)
    } else {
      // mkstemp creates the file 0600; give it the mode open(…, 0644) would have.
      let mask = umask(0)
      umask(mask)
      fchmod(fd, 0o644 & ~mask)
    }
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
    syncDirectory(of: path)
  }

  /// Makes the rename itself durable (best effort: some file systems refuse to sync a directory).
  private static func syncDirectory(of path: String) {
    let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
    let fd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    fsync(fd)
    close(fd)
  }

  private static func failure(_ path: String, _ what: String) -> Failure {
    let reason = String(cString: strerror(errno))
    return Failure(message: "\(path): error: \(what): \(reason)", reason: reason)
  }

  private static func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.write(fd, buffer, count)
    #else
      Darwin.write(fd, buffer, count)
    #endif
  }
}
