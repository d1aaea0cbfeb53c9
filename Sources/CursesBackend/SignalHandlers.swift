import CNCurses

/// The shim's signal handling and standard-error capture, wrapped.
///
/// Every call into the shim's signal state must come from this file. That state lives in
/// `static` C variables in `shim.h`, and each Swift object file that inlines the shim's
/// functions gets its own private copy of them: a flag set through one file's copy would be
/// invisible through another's.
enum SignalHandlers {
  /// Saves the terminal modes and the signal dispositions in force; call before `newterm`.
  static func saveOriginalState() {
    _ = crpin_save_original_state()
  }

  /// Installs the crash handlers (restore the terminal, then die as before) and the
  /// interrupt handlers (set a flag); call after `newterm`, so they replace curses' own.
  static func install() {
    crpin_install_handlers()
  }

  /// Puts back the dispositions saved by `saveOriginalState()`; call after `endwin`.
  static func restoreOriginals() {
    crpin_restore_original_handlers()
  }

  /// Whether the terminal has gone away; if so it counts as a SIGHUP from now on.
  static func checkHangup() -> Bool {
    crpin_check_hangup() != 0
  }

  /// The first terminating signal (SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, …) received since
  /// start-up, or 0. SIGINT (Ctrl-C) is not one:
  /// it is counted for `takeKeyboardInterrupts()`.
  static var pendingInterrupt: Int32 {
    crpin_pending_interrupt()
  }

  /// Whether a SIGINT arrived that `takeKeyboardInterrupts()` has not taken yet.
  static var keyboardInterruptPending: Bool {
    crpin_keyboard_interrupt_pending() != 0
  }

  /// How many SIGINTs arrived since the last call.
  static func takeKeyboardInterrupts() -> Int {
    Int(crpin_take_keyboard_interrupts())
  }

  /// Diverts standard error to a temporary file until `releaseStandardError()`, so stray
  /// messages neither garble the screen nor vanish with it; the crash handler releases it too.
  static func captureStandardError() {
    _ = crpin_capture_stderr()
  }

  /// Puts standard error back and copies to it what was written meanwhile; call after `endwin`.
  static func releaseStandardError() {
    crpin_release_stderr()
  }
}

extension TerminalSession {
  /// How many times Ctrl-C (SIGINT) was pressed since the last call. Unlike SIGTERM and SIGHUP
  /// it does not end the session: the app handles each as a key (cancel the command line, or
  /// ask before quitting).
  /// Input typed ahead of a Ctrl-C (the rest of a paste) is discarded here, not by the kernel:
  /// the session runs with NOFLSH, so no screen update already written is lost.
  public func takeKeyboardInterrupts() -> Int {
    let count = SignalHandlers.takeKeyboardInterrupts()
    if count > 0 { crpin_discard_typeahead() }
    return count
  }

  /// Whether a signal is waiting to be handled (Ctrl-C not yet taken, or a terminating
  /// signal): the main loop stops handling queued input, such as the rest of a paste, and
  /// sees to it first.
  public var signalPending: Bool {
    SignalHandlers.keyboardInterruptPending || SignalHandlers.pendingInterrupt != 0
  }
}
