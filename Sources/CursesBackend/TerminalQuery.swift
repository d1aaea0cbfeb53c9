import TUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Asking the terminal itself what its background is.
enum TerminalQuery {
  /// The terminal's background as its answer to an OSC 11 query, or nil when it gives none
  /// within `timeoutMilliseconds`.
  ///
  /// The query is followed by a primary device attributes request (DA1), which practically
  /// every terminal answers, and after its answer (which comes after any answer to OSC 11) the
  /// wait ends at once, so a terminal that ignores OSC 11 costs a round trip, not the timeout.
  /// Echo and line buffering are off meanwhile (and restored after), so the answers are neither
  /// shown nor left for curses to read as keys. Not asked on the Linux console, which would
  /// print the query as text.
  static func background(term: String?, timeoutMilliseconds: Int = 200) -> Background? {
    guard term?.hasPrefix("linux") != true else { return nil }
    var saved = termios()
    guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return nil }
    var quiet = saved
    quiet.c_lflag &= ~tcflag_t(ICANON | ECHO)
    guard tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0 else { return nil }
    defer { _ = tcsetattr(STDIN_FILENO, TCSANOW, &saved) }

    let query = Array("\u{1B}]11;?\u{1B}\\\u{1B}[c".utf8)
    guard query.withUnsafeBytes({ write(STDOUT_FILENO, $0.baseAddress, $0.count) }) == query.count else {
      return nil
    }
    var reply: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 256)
    let clock = ContinuousClock()
    let deadline = clock.now + .milliseconds(timeoutMilliseconds)
    while !containsDeviceAttributes(reply), reply.count < 4096 {
      let left = clock.now.duration(to: deadline).components
      let milliseconds = Int32(clamping: left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000)
      guard milliseconds > 0 else { break }
      var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
      guard poll(&descriptor, 1, milliseconds) > 0 else { break }
      let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
      guard count > 0 else { break }
      reply += buffer[0..<count]
    }
    return CursesBackend.background(fromOSC11Reply: reply)
  }

  /// Whether `bytes` hold a DA1 answer: `ESC [ ?` … `c`.
  static func containsDeviceAttributes(_ bytes: [UInt8]) -> Bool {
    let introducer = Array("\u{1B}[?".utf8)
    guard bytes.count > introducer.count else { return false }
    for start in 0...(bytes.count - introducer.count) where Array(bytes[start..<(start + 3)]) == introducer {
      for byte in bytes[(start + 3)...] {
        if byte == UInt8(ascii: "c") { return true }
        guard byte == UInt8(ascii: ";") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
          break
        }
      }
    }
    return false
  }
}
