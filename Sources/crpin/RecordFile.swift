#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The `--record` file: the statements that rebuild the TUI's state, so `crpin run FILE`
/// replays the session.
///
/// What is on disk is always a whole script, never half a statement:
/// - A file left by an earlier session is checked for writing but not touched until this session
///   records its first action; then it is replaced whole, atomically (`AtomicFile`), by this
///   session's set-up and that action. Quitting without acting leaves it as it was.
/// - Each action is then appended and synced at once, so a crash or signal loses nothing.
/// - An append that fails part-way (disk full) is cut back to the previous size, so the file
///   ends at the last whole statement; the next action writes the whole script again.
/// - Undo, redo and scenario starts replace the file atomically.
struct RecordFile {
  /// Why the file could not be opened.
  struct OpenError: Error {
    let message: String
  }

  /// How the file on disk relates to `lines`.
  enum DiskState: Equatable {
    /// An earlier session's file, kept until this session records an action.
    case preserved
    /// The file holds exactly `lines`.
    case inSync
    /// The file holds an earlier, whole version of `lines` (a write failed): the next write
    /// replaces it whole.
    case stale
  }

  let path: String
  /// The file written: `path` with symbolic links resolved.
  private let diskPath: String
  /// Whether the record is a character device, written through (appends only).
  private let isStream: Bool
  /// The script the file should hold: the set-up, then every statement recorded.
  private(set) var lines: [String] = []
  /// How the file on disk relates to `lines`.
  private(set) var diskState: DiskState
  /// Writes bytes to a descriptor, as `write(2)` does (replaceable to test a full disk).
  var writeBytes: (Int32, UnsafeRawBufferPointer) -> Int = { fd, buffer in
    RecordFile.systemWrite(fd, buffer.baseAddress, buffer.count)
  }

  /// Checks that `path` can be written without changing an existing file; a missing file is
  /// created empty. Ignores SIGXFSZ: past a file-size limit (`ulimit -f`) a write then fails
  /// with EFBIG, handled like a full disk, instead of killing crpin with the terminal raw.
  /// What `path` may be is `OutputTarget`'s rule: a symbolic link is followed; a character
  /// device (`/dev/null`, another terminal) is written through as a stream (each action's
  /// statements as it happens; undo cannot take them back there); a FIFO, a directory and a
  /// file with other hard links are refused.
  init(path: String) throws(OpenError) {
    self.path = path
    signal(SIGXFSZ, SIG_IGN)
    func failure(_ what: String) -> OpenError {
      OpenError(message: "cannot write the record file \(path): \(what)\(String(cString: strerror(errno)))")
    }
    let target: OutputTarget
    do throws(OutputTarget.Failure) {
      target = try OutputTarget.resolve(path, isRecord: true)
    } catch {
      throw OpenError(message: "cannot write the record file \(path): \(error.reason)")
    }
    switch target {
    case .stream(let device):
      diskPath = device
      isStream = true
      diskState = .inSync
      let fd = open(device, O_WRONLY | O_NOCTTY | O_CLOEXEC)
      guard fd >= 0 else { throw failure("") }
      close(fd)
      return
    case .file(let file):
      diskPath = file
      isStream = false
    case .standardOutput:
      throw OpenError(message: "cannot write the record file \(path): it is standard output")
    }
    let path = diskPath
    var fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
    if fd >= 0 {
      diskState = .preserved
    } else if errno == ENOENT {
      fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
      diskState = .inSync
    } else {
      diskState = .preserved
    }
    guard fd >= 0 else { throw failure("") }
    close(fd)
    // The file is replaced by renaming a new one over it: its directory must be writable too.
    guard access(Self.directory(of: path), W_OK) == 0 else {
      throw failure("its directory cannot be written (the file is replaced atomically): ")
    }
  }

  /// Appends `lines` (the statements an action ran) and syncs; an error message if that
  /// failed, in which case the file still holds whole statements only.
  mutating func append(_ added: [String]) -> String? {
    guard !added.isEmpty else { return nil }
    lines += added
    if isStream { return appendToStream(added) }
    guard diskState == .inSync else { return replace() }
    let fd = open(diskPath, O_WRONLY | O_APPEND | O_CLOEXEC)
    guard fd >= 0 else { return failed("cannot open it") }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { return failed("cannot read its size") }
    let previousSize = status.st_size
    guard write(Array(added.map { $0 + "\n" }.joined().utf8), to: fd), fsync(fd) == 0 else {
      let reason = String(cString: strerror(errno))
      let cutBack = ftruncate(fd, previousSize) == 0 && fsync(fd) == 0
      diskState = .stale
      return failure(
        reason, cutBack ? "it ends at the last whole statement" : "it may end in half a statement")
    }
    return nil
  }

  /// Replaces the file's contents with `lines` (after undo, redo or a scenario start),
  /// atomically; an error message if that failed (the file is then as it was). Before this
  /// session has recorded an action, an earlier session's file is left alone: `lines` is only
  /// remembered, and written with the first action.
  mutating func rewrite(_ lines: [String]) -> String? {
    self.lines = lines
    guard diskState != .preserved, !isStream else { return nil }
    return replace()
  }

  /// Writes `added` through to the character device.
  private mutating func appendToStream(_ added: [String]) -> String? {
    let fd = open(diskPath, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else { return failure(String(cString: strerror(errno)), "it is a device, written through") }
    defer { close(fd) }
    guard write(Array(added.map { $0 + "\n" }.joined().utf8), to: fd) else {
      return failure(String(cString: strerror(errno)), "it is a device, written through")
    }
    return nil
  }

  /// Writes `lines` whole, atomically.
  private mutating func replace() -> String? {
    do {
      try AtomicFile.write(lines.map { $0 + "\n" }.joined(), to: diskPath)
      diskState = .inSync
      return nil
    } catch {
      if diskState == .inSync { diskState = .stale }
      return failure(
        error.reason,
        diskState == .preserved ? "the earlier file is unchanged" : "it holds an earlier whole state")
    }
  }

  private mutating func failed(_ what: String) -> String {
    let reason = "\(what): \(String(cString: strerror(errno)))"
    diskState = .stale
    return failure(reason, "it is as it was")
  }

  /// The status line's words for a failed write: the file's name (the path may not fit), why,
  /// what the file holds now, and that nothing is lost yet.
  private func failure(_ reason: String, _ state: String) -> String {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return "cannot write the record \(name) (\(reason)): \(state); the next action tries again"
  }

  /// Writes every byte, retrying after signals; false (errno set) when a write failed.
  private func write(_ bytes: [UInt8], to fd: Int32) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { writeBytes(fd, $0) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else {
        if count == 0 { errno = ENOSPC }
        return false
      }
      offset += count
    }
    return true
  }

  /// The directory holding `path`.
  private static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let directory = String(path[..<slash])
    return directory.isEmpty ? "/" : directory
  }

  private static func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.write(fd, buffer, count)
    #else
      Darwin.write(fd, buffer, count)
    #endif
  }
}
