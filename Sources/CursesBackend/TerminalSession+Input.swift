import CNCurses
import TUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension TerminalSession {
  /// The next key, click, wheel turn or resize, waiting at most `timeoutMilliseconds`
  /// (negative: wait indefinitely). Nil when the time ran out, or when a signal arrived
  /// (check `interruptRequested` after every nil). Input the TUI has no use for (unknown
  /// keys, mouse releases) is skipped within the same wait.
  public func nextEvent(timeoutMilliseconds: Int32) -> InputEvent? {
    let clock = ContinuousClock()
    let deadline = timeoutMilliseconds >= 0 ? clock.now + .milliseconds(timeoutMilliseconds) : nil
    var wait = timeoutMilliseconds
    while !interruptRequested, isActive {
      let window = crpin_stdscr()
      wtimeout(window, wait)
      var character: wint_t = 0
      let status = wget_wch(window, &character)
      guard status != ERR else {
        // A read that fails at once may mean the terminal is gone: quit rather than spin.
        _ = SignalHandlers.checkHangup()
        return nil
      }
      if let event = decode(status: status, character: character) { return event }
      guard let deadline else { continue }
      let remaining = clock.now.duration(to: deadline)
      guard remaining > .zero else { return nil }
      let (seconds, attoseconds) = remaining.components
      wait = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
    return nil
  }

  private func decode(status: Int32, character: wint_t) -> InputEvent? {
    guard status == KEY_CODE_YES else {
      if character == 27, skipUnknownEscapeSequence() { return nil }
      return decodeKey(UInt32(character), isFunctionKey: false).map(InputEvent.key)
    }
    switch Int32(bitPattern: UInt32(character)) {
    case KEY_RESIZE:
      invalidate()
      let size = size
      return .resize(width: size.width, height: size.height)
    case KEY_MOUSE:
      var report = MEVENT()
      guard getmouse(&report) == OK else { return nil }
      return decodeMouse(state: report.bstate, row: Int(report.y), column: Int(report.x))
    default:
      return decodeKey(UInt32(character), isFunctionKey: true).map(InputEvent.key)
    }
  }

  /// After an ESC from curses: when `[` or `O` follows at once, the ESC began a sequence curses
  /// does not know; reads and drops it and returns true, so it does not arrive as Escape
  /// followed by stray characters. Any other key that follows at once (a quick Esc then `q`,
  /// or Alt plus a key, which terminals send alike) is pushed back: Escape arrives, then it.
  private func skipUnknownEscapeSequence() -> Bool {
    let window = crpin_stdscr()
    wtimeout(window, 0)
    guard let introducer = readPending(window) else { return false }
    switch EscapeSequence(introducer: introducer) {
    case .alone:
      _ = unget_wch(wchar_t(bitPattern: introducer))
      return false
    case .singleShift: _ = readPending(window)
    case .controlSequence:
      for _ in 0..<32 {
        guard let code = readPending(window), !EscapeSequence.isFinal(code) else { break }
      }
    }
    return true
  }

  /// A character already waiting (the window's timeout must be 0), or nil. A key curses
  /// recognised is pushed back for the next read.
  private func readPending(_ window: UnsafeMutablePointer<WINDOW>?) -> UInt32? {
    var character: wint_t = 0
    let status = wget_wch(window, &character)
    if status == KEY_CODE_YES { _ = ungetch(Int32(bitPattern: UInt32(character))) }
    guard status == OK else { return nil }
    return UInt32(character)
  }
}
