#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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

  /// The status of what `path` names, following symbolic links; `nil` when nothing is there
  /// (a dangling link included) or it cannot be reached.
  private static func status(_ path: String) -> stat? {
    var status = stat()
    return stat(path, &status) == 0 ? status : nil
  }

  /// Whether a file (of any kind, a directory too) exists at `path`, following symbolic links.
  static func exists(_ path: String) -> Bool { status(path) != nil }

  /// Opens `path` (not `-`) for reading; `noun` names what the file should have been
  /// (`a script`).
  static func open(_ path: String, noun: String) throws(Failure) -> Int32 {
    let display = displayPath(path)
    guard let status = status(path) else {
      throw Failure(message: "\(display): error: no such file")
    }
    guard status.st_mode & S_IFMT != S_IFDIR else {
      throw Failure(message: "\(display): error: is a directory, not \(noun)")
    }
    let descriptor = systemOpen(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw Failure(
        message: "\(display): error: cannot open it for reading: \(String(cString: strerror(errno)))")
    }
    return descriptor
  }

  /// Why `-` cannot be read when crpin started with standard input closed (`<&-`): there is
  /// nothing to read, which is not an empty script.
  static func standardInputClosed(_ display: String) -> Failure {
    Failure(message: "\(display): error: standard input is closed: there is nothing to read")
  }

  /// The bytes of `path`; `noun` names what the file should have been (`a script`).
  static func bytes(_ path: String, maxBytes: Int, noun: String) throws(Failure) -> [UInt8] {
    let display = displayPath(path)
    let descriptor: Int32
    if path == "-" {
      guard !Console.inputWasClosed else { throw standardInputClosed(display) }
      descriptor = STDIN_FILENO
    } else {
      descriptor = try open(path, noun: noun)
    }
    defer { if path != "-" { close(descriptor) } }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 << 10)
    while true {
      let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count >= 0 else {
        throw Failure(message: "\(display): error: cannot read it (\(String(cString: strerror(errno))))")
      }
      guard count > 0 else { break }
      bytes.append(contentsOf: chunk[..<count])
      if bytes.count > maxBytes {
        throw Failure(message: "\(display): error: larger than \(maxBytes >> 20) MiB: not \(noun)")
      }
    }
    return bytes
  }

  private static func systemOpen(_ path: String, _ flags: Int32) -> Int32 {
    #if canImport(Glibc)
      Glibc.open(path, flags)
    #else
      Darwin.open(path, flags)
    #endif
  }

  static func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.read(fd, buffer, count)
    #else
      Darwin.read(fd, buffer, count)
    #endif
  }
}
