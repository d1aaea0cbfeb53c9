#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What an output path (`export -o FILE`, `tui --record FILE`) leads to, decided before anything
/// is written, so that crpin never replaces what is not an ordinary file:
/// - `-` is standard output (exports only).
/// - A missing file is created; an existing regular file is replaced atomically
///   (`AtomicFile`) keeping its mode and, where crpin may set it, its owner and group.
/// - A symbolic link is followed: the file it points to is replaced and the link stays a link.
///   A link to a missing file is refused (crpin does not create files where a link points).
/// - A character device (`/dev/null`, `/dev/full`, a terminal) is written through, never
///   replaced; so is a FIFO for an export (as the shell's `>` does, it waits for a reader).
///   A FIFO is refused for `--record`, whose file is appended to, cut back and replaced.
/// - A directory, a socket, a block device, an empty name, a file with other hard links (replacing
///   it would split them) and the input script itself are refused.
enum OutputTarget: Equatable {
  /// Standard output (`-o -`).
  case standardOutput
  /// A regular file, existing or not, at this path (symbolic links resolved).
  case file(path: String)
  /// A character device or a FIFO at this path, written through.
  case stream(path: String)

  /// Why the path cannot be written, worded for standard error, and the exit status: 2 when
  /// crpin refused before writing anything, 3 when a write failed.
  struct Failure: Error {
    let message: String
    let status: Int32
    /// The message without the path in front, for `--record`'s own wording.
    var reason: String { message.components(separatedBy: "error: ").dropFirst().joined(separator: "error: ") }
  }

  /// What `path` leads to; `input` is the script's path when it is a file (refused as the
  /// output); `isRecord` for `--record`, which refuses a FIFO and standard output.
  static func resolve(_ path: String, input: String? = nil, isRecord: Bool = false) throws(Failure)
    -> OutputTarget
  {
    func refuse(_ why: String) -> Failure { Failure(message: "\(path): error: \(why)", status: 2) }
    if path.isEmpty { throw Failure(message: "error: the output file's name is empty", status: 2) }
    if path == "-" {
      if isRecord { throw refuse("standard output is the terminal: give --record a file") }
      return .standardOutput
    }
    var link = stat()
    guard lstat(path, &link) == 0 else {
      guard errno == ENOENT else { throw refuse("cannot look at it: \(String(cString: strerror(errno)))") }
      return .file(path: path)
    }
    var target = link
    var resolved = path
    if link.st_mode & S_IFMT == S_IFLNK {
      guard stat(path, &target) == 0, let real = realpath(path, nil) else {
        throw refuse(
          "a symbolic link to a missing or unreachable file: give the file itself "
            + "(\(String(cString: strerror(errno))))")
      }
      resolved = String(cString: real)
      free(real)
    }
    if let input {
      var script = stat()
      if stat(input, &script) == 0, script.st_dev == target.st_dev, script.st_ino == target.st_ino {
        throw refuse("is the input script: writing it would overwrite the script; choose another file")
      }
    }
    switch target.st_mode & S_IFMT {
    case S_IFREG:
      guard target.st_nlink <= 1 else {
        throw refuse(
          "has \(target.st_nlink) hard links: replacing it would split them; remove the other links or write elsewhere"
        )
      }
      return .file(path: resolved)
    case S_IFCHR:
      return .stream(path: resolved)
    case S_IFIFO:
      if isRecord {
        throw refuse("is a FIFO: the record file is appended to, cut back and replaced, so it must be a file")
      }
      return .stream(path: resolved)
    case S_IFDIR:
      throw refuse("is a directory: give a file's path")
    case S_IFBLK:
      throw refuse("is a block device: crpin writes files, character devices and FIFOs only")
    default:
      throw refuse("is not a file, a character device or a FIFO")
    }
  }

  /// Writes `text` (UTF-8) where this target leads: a file replaced atomically, a stream or
  /// standard output written through. Ignores SIGXFSZ, so that past `ulimit -f` the write fails
  /// with EFBIG (exit 3, no temporary file left) instead of killing crpin.
  func write(_ text: String) throws(Failure) {
    signal(SIGXFSZ, SIG_IGN)
    switch self {
    case .file(let path):
      do throws(AtomicFile.Failure) {
        try AtomicFile.write(text, to: path)
      } catch {
        throw Failure(message: error.message, status: error.isRefusal ? 2 : 3)
      }
    case .stream(let path):
      let fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
      guard fd >= 0 else {
        throw Failure(
          message: "\(path): error: cannot open it: \(String(cString: strerror(errno)))", status: 2)
      }
      defer { close(fd) }
      if let reason = Self.writeAll(Array(text.utf8), to: fd) {
        throw Failure(message: "\(path): error: cannot write it: \(reason)", status: 3)
      }
    case .standardOutput:
      if Console.outputWasClosed {
        throw Failure(message: "crpin: error: cannot write to standard output: it is closed", status: 3)
      }
      if let reason = Self.writeAll(Array(text.utf8), to: STDOUT_FILENO) {
        throw Failure(message: "crpin: error: cannot write to standard output: \(reason)", status: 3)
      }
    }
  }

  /// Writes every byte, retrying after signals; the reason when a write failed.
  static func writeAll(_ bytes: [UInt8], to fd: Int32) -> String? {
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { return String(cString: strerror(count == 0 ? ENOSPC : errno)) }
      offset += count
    }
    return nil
  }

  private static func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.write(fd, buffer, count)
    #else
      Darwin.write(fd, buffer, count)
    #endif
  }
}
