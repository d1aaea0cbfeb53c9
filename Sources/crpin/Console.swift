#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Script

/// Writing to standard output and standard error.
///
/// A failed write to standard output (closed, `/dev/full`, a pipe whose reader went away) ends
/// crpin at once with a message on standard error and exit status 3 (`outputFailedStatus`),
/// never silently with 0 and never by SIGPIPE. Writes to standard error never fail loudly:
/// there is nowhere left to say so.
///
/// Text (not the trace bytes, which the traces already made safe) goes through
/// `TerminalSafe.text`: a message quoting a script's line cannot send its escape sequences
/// to the terminal (issue 19).
enum Console {
  /// The exit status when standard output cannot be written.
  static let outputFailedStatus: Int32 = 3

  /// Whether standard output was closed when crpin started.
  nonisolated(unsafe) private(set) static var outputWasClosed = false
  /// Whether standard input was closed when crpin started (`crpin run - <&-`): reading `-`
  /// is then an error, not an empty script.
  nonisolated(unsafe) private(set) static var inputWasClosed = false

  /// Call first: ignores SIGPIPE (a closed pipe becomes an EPIPE write error) and puts
  /// `/dev/null` on standard descriptors that are closed, so that no file crpin opens later
  /// takes their number and receives output meant for the terminal.
  static func prepare() {
    signal(SIGPIPE, SIG_IGN)
    for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
      if descriptor == STDOUT_FILENO { outputWasClosed = true }
      if descriptor == STDIN_FILENO { inputWasClosed = true }
      let null = open("/dev/null", descriptor == STDIN_FILENO ? O_RDONLY : O_WRONLY)
      if null >= 0, null != descriptor {
        dup2(null, descriptor)
        close(null)
      }
    }
    isTerminal = isatty(STDOUT_FILENO) == 1
  }

  /// Bytes not yet written to standard output.
  nonisolated(unsafe) private static var pending = TraceBuffer()
  /// Whether standard output is a terminal (then every line is written at once).
  nonisolated(unsafe) private(set) static var isTerminal = false
  /// Below a terminal, output is written in chunks of this size: with the writer thread, each
  /// chunk handed over wakes it (two futex calls and a switch), so a million records of JSON
  /// lines (440 MB) go in about 440 chunks rather than 6,700.
  private static let chunkSize = ScriptDriver.defaultChunkSize

  /// Writes `text` and a newline to standard output (in chunks unless it is a terminal; see
  /// `finish`).
  static func out(_ text: String) {
    var safe = TerminalSafe.text(text)
    safe.withUTF8 { out(bytes: $0, addingNewline: true) }
  }

  /// Writes `bytes` (UTF-8 text) and a newline to standard output, as `out` does; without the
  /// newline when `addingNewline` is false (bytes that already end their last line).
  static func out(bytes: UnsafeBufferPointer<UInt8>, addingNewline: Bool) {
    if outputWasClosed { outputFailed(message: "it is closed") }
    pending.append(bytes)
    if addingNewline { pending.append(byte: UInt8(ascii: "\n")) }
    if isTerminal || pending.count >= chunkSize { flush() }
  }

  /// Writes `chunk`, whole lines (a chunked `ScriptDriver`'s), to standard output after what
  /// is pending: with the writer thread, the buffer itself is handed over, its bytes not
  /// copied (the driver's next chunk goes to a block of its own, `TraceBuffer` being
  /// copy-on-write).
  static func out(chunk: TraceBuffer) {
    guard let writer else { return chunk.withBytes { out(bytes: $0, addingNewline: false) } }
    if outputWasClosed { outputFailed(message: "it is closed") }
    flush()
    let code = writer.hand(chunk)
    if code != 0 { outputFailed(errno: code) }
  }

  /// The thread that writes standard output's chunks, once `writeInBackground` started it.
  nonisolated(unsafe) private static var writer: OutputWriter?

  /// From now on, chunks of standard output are written on a second thread while crpin goes on
  /// (`OutputWriter`), unless standard output is a terminal (every line is written at once
  /// there). A failed write still ends crpin with status 3, at the next chunk or at `finish`.
  static func writeInBackground() {
    guard !isTerminal, writer == nil else { return }
    writer = OutputWriter.start()
  }

  /// Writes what is pending; call before exiting. Ends crpin with status 3 if that failed.
  static func finish() {
    flush()
    guard let writer else { return }
    self.writer = nil
    let code = writer.finish()
    if code != 0 { outputFailed(errno: code) }
  }

  private static func flush() {
    guard pending.count > 0 else { return }
    if let writer {
      let code = writer.hand(pending)
      // The writer holds those bytes now; what comes next goes to a small block of its own.
      pending = TraceBuffer()
      if code != 0 { outputFailed(errno: code) }
      return
    }
    let code = pending.withBytes { OutputWriter.writeAll($0, to: STDOUT_FILENO) }
    guard code == 0 else { outputFailed(errno: code) }
    pending.removeAll()
  }

  /// Writes `text` and a newline to standard error, unbuffered; errors are ignored.
  static func error(_ text: String) {
    let bytes = Array((TerminalSafe.text(text) + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { return }
      offset += count
    }
  }

  private static func outputFailed(errno code: Int32) -> Never {
    outputFailed(message: String(cString: strerror(code)))
  }

  private static func outputFailed(message: String) -> Never {
    error("crpin: error: cannot write to standard output: \(message)")
    _exit(outputFailedStatus)
  }
}
