import CNCurses
import TUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A full-screen curses session on the controlling terminal: copies `Screen` grids to it and
/// reads keys, mouse clicks and resizes from it.
///
/// Use one session at a time, from the main actor only (curses is not thread-safe). A typical
/// loop:
///
/// ```swift
/// let session = try TerminalSession.start(colorPreference: .auto)
/// defer { session.end() }
/// while !session.interruptRequested {
///   let size = session.size
///   session.draw(view(state, width: size.width, height: size.height))
///   if let event = session.nextEvent(timeoutMilliseconds: 100) {
///     let effects = update(&state, event)  // carry them out: quit, record, …
///   }
/// }
/// ```
///
/// SIGTERM, SIGHUP, SIGQUIT and the other terminating signals (`shim.h` lists them) do not
/// kill the process: they set `interruptRequested` and make a waiting `nextEvent` return nil,
/// so the loop can leave through `end()`. Ctrl-C (SIGINT) is
/// counted for `takeKeyboardInterrupts()`, for the app to handle as a key. Ctrl-Z
/// suspends through curses' own handler, which restores the terminal and repaints after
/// `fg`; so do SIGTTIN and SIGTTOU in the foreground. A crash (trap, segfault, abort)
/// restores the terminal before the process dies.
/// While the session runs, standard error goes to a temporary file; `end()` (or a crash)
/// copies it to the real standard error, so messages printed meanwhile are not lost.
@MainActor
public final class TerminalSession {
  /// Why the session could not start.
  public enum StartError: Error, CustomStringConvertible {
    /// Standard input or output is not a terminal.
    case notATerminal
    /// curses does not know the terminal type (the value of `TERM`, nil when unset).
    case unknownTerminal(String?)
    /// The terminal cannot move its cursor (`TERM=dumb`), so no screen can be drawn on it.
    case cannotAddressCursor(String)

    /// A one-line message for the user.
    public var description: String {
      switch self {
      case .notATerminal:
        return "the interactive view needs a terminal on standard input and output;"
          + " use `crpin run` for headless use"
      case .unknownTerminal(let term?):
        return "unknown terminal type '\(term)' (check TERM); use `crpin run` for headless use"
      case .unknownTerminal(nil):
        return "TERM is not set, so the terminal type is unknown;"
          + " use `crpin run` for headless use"
      case .cannotAddressCursor(let term):
        return "terminal type '\(term)' cannot move the cursor, so the interactive view cannot draw on it"
          + " (check TERM); use `crpin run` for headless use"
      }
    }
  }

  /// The colours and attributes each role is drawn with in this session.
  public let theme: Theme

  private let screen: OpaquePointer
  /// Curses attributes and colour pair for each role, indexed by `Role.rawValue`.
  private let styles: [(attributes: attr_t, pair: Int16)]
  /// The characters the terminal can show: grids are redrawn in them.
  public let glyphs: GlyphSet
  /// The grid last drawn, or nil when the next draw must write every cell.
  private var lastDrawn: Screen?
  private var ended = false

  private init(
    screen: OpaquePointer, theme: Theme, styles: [(attributes: attr_t, pair: Int16)],
    glyphs: GlyphSet
  ) {
    self.screen = screen
    self.theme = theme
    self.styles = styles
    self.glyphs = glyphs
  }

  isolated deinit {
    end()
  }

  /// Takes over the terminal: alternate screen, no echo, keys one at a time, mouse reports.
  ///
  /// Throws when standard input or output is not a terminal, or when `TERM` names no
  /// terminal curses knows or one that cannot move its cursor (`dumb`); the terminal is left
  /// as it was then.
  /// `colorTheme` is the theme to use when colour is allowed and available (the colour theme
  /// by default, or e.g. the projector theme); otherwise the session is monochrome. Its light
  /// or dark variant follows `background` (see `BackgroundPreference.auto` for how it is found
  /// out). `asciiOnly` draws ASCII only, as a locale that is not UTF-8 does; under `TERM=linux`
  /// boxes get light corners and glyphs the console font lacks fall back to ASCII.
  public static func start(
    colorPreference: ColorPreference = .auto, colorTheme: Theme = .color,
    background: BackgroundPreference = .auto, asciiOnly: Bool = false
  ) throws(StartError) -> TerminalSession {
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
    setlocale(LC_ALL, "")
    SignalHandlers.saveOriginalState()
    let term = environment("TERM")
    guard let screen = newterm(nil, crpin_stdout(), crpin_stdin()) else {
      throw .unknownTerminal(term)
    }
    _ = set_term(screen)
    guard canAddressCursor() else {
      _ = endwin()
      delscreen(screen)
      throw .cannotAddressCursor(term ?? "")
    }
    // After newterm, which installs curses' own SIGINT/SIGTERM handlers: ours replace them.
    SignalHandlers.install()
    SignalHandlers.captureStandardError()
    _ = cbreak()
    _ = crpin_keep_output_on_interrupt()
    _ = noecho()
    _ = nonl()
    let window = crpin_stdscr()
    _ = keypad(window, true)
    _ = curs_set(0)
    if environment("ESCDELAY") == nil { _ = set_escdelay(25) }
    for (sequence, code) in extraKeySequences { _ = define_key(sequence, code) }
    _ = mousemask(wantedMouseEvents(), nil)
    _ = mouseinterval(0)

    // Only a theme with a light variant needs the background; asking the terminal (OSC 11)
    // waits for its answer, so monochrome never asks.
    let noColor = environment("NO_COLOR")
    let wantsColor = colorPreference == .auto && (noColor ?? "").isEmpty && has_colors()
    let variant =
      wantsColor && colorTheme.variant(for: .light).background == .light
      ? resolveBackground(background, colorfgbg: environment("COLORFGBG")) {
        TerminalQuery.background(term: term)
      } : .dark
    let theme = chooseTheme(
      preference: colorPreference, noColorVariable: noColor, terminalHasColors: has_colors(),
      colorTheme: colorTheme, background: variant)
    var palette = Palette.monochrome
    if theme.usesColor {
      _ = start_color()
      let defaultColors = use_default_colors() == OK
      palette = .colors(count: Int(crpin_colors()), defaultColors: defaultColors)
    }
    let styles = Role.allCases.map { role in
      allocateStyle(cellStyle(for: theme[role], on: palette), pair: Int16(role.rawValue) + 1)
    }
    let glyphs: GlyphSet =
      asciiOnly || crpin_locale_is_utf8() == 0
      ? .ascii : (term?.hasPrefix("linux") == true ? .linuxConsole : .unicode)
    return TerminalSession(screen: screen, theme: theme, styles: styles, glyphs: glyphs)
  }

  /// Whether the terminal curses just set up can move its cursor (has `cup`).
  private static func canAddressCursor() -> Bool {
    guard let capability = tigetstr("cup") else { return false }
    return Int(bitPattern: capability) != -1
  }

  /// The terminal's size in columns and rows.
  public var size: (width: Int, height: Int) {
    guard !ended else { return (0, 0) }
    var rows: Int32 = 0
    var columns: Int32 = 0
    crpin_getmaxyx(crpin_stdscr(), &rows, &columns)
    return (Int(max(0, columns)), Int(max(0, rows)))
  }

  /// Whether a terminating signal other than SIGINT arrived (SIGTERM, SIGHUP, SIGQUIT,
  /// SIGUSR1, SIGALRM and the others `shim.h` lists): the loop should end the session.
  public var interruptRequested: Bool { SignalHandlers.pendingInterrupt != 0 }

  /// The terminating signal that arrived first, if any; a conventional exit status is 128
  /// plus this number.
  public var interruptSignal: Int32? {
    let signal = SignalHandlers.pendingInterrupt
    return signal == 0 ? nil : signal
  }

  /// Gives the terminal back: leaves the alternate screen, restores the modes it had, and
  /// puts back the signal handlers found at start. Safe to call more than once; the session
  /// draws and reads nothing afterwards.
  public func end() {
    guard !ended else { return }
    ended = true
    lastDrawn = nil
    _ = endwin()
    SignalHandlers.releaseStandardError()
    SignalHandlers.restoreOriginals()
    delscreen(screen)
  }

  /// Draws `grid`: writes only the cells that differ from the grid drawn last (all of them
  /// after a resize or on the first frame), then refreshes once. Cells outside the terminal
  /// are clipped.
  public func draw(_ grid: Screen) {
    guard !ended else { return }
    let grid = grid.drawn(with: glyphs)
    let window = crpin_stdscr()
    if lastDrawn == nil || lastDrawn?.width != grid.width || lastDrawn?.height != grid.height {
      _ = werase(window)
      lastDrawn = nil
    }
    for run in changedRuns(from: lastDrawn, to: grid) {
      var column = run.column
      for cell in run.cells {
        put(cell, row: run.row, column: column, in: window)
        column += 1
      }
    }
    _ = wrefresh(window)
    lastDrawn = grid
  }

  /// Whether `end()` has not been called yet.
  var isActive: Bool { !ended }

  /// Makes the next `draw` write every cell (after a resize the terminal's content is stale).
  func invalidate() {
    lastDrawn = nil
  }

  private func put(_ cell: Cell, row: Int, column: Int, in window: UnsafeMutablePointer<WINDOW>?) {
    guard let y = Int32(exactly: row), let x = Int32(exactly: column) else { return }
    let unicode = glyphs != .ascii
    var scalar = displayScalar(cell.scalar, unicode: unicode)
    if unicode, scalar.value >= 0x80, crpin_wcwidth(wchar_t(bitPattern: scalar.value)) != 1 {
      scalar = "?"
    }
    let style = styles[Int(cell.role.rawValue)]
    let text: [wchar_t] = [wchar_t(bitPattern: scalar.value), 0]
    var character = cchar_t()
    _ = setcchar(&character, text, style.attributes, style.pair, nil)
    _ = mvwadd_wch(window, y, x, &character)
  }

  /// Defines colour pair `pair` for `style` when it uses colour, and turns the style into
  /// curses attributes and the pair to draw with (0, the default pair, without colour).
  private static func allocateStyle(
    _ style: CellStyle, pair: Int16
  ) -> (attributes: attr_t, pair: Int16) {
    var attributes = attr_t(A_NORMAL)
    if style.attributes.contains(.bold) { attributes |= crpin_attr_bold() }
    if style.attributes.contains(.reverse) { attributes |= crpin_attr_reverse() }
    if style.attributes.contains(.underline) { attributes |= crpin_attr_underline() }
    if style.attributes.contains(.dim) { attributes |= crpin_attr_dim() }
    guard let foreground = style.foreground, let background = style.background,
      Int32(pair) < crpin_color_pairs(), init_pair(pair, foreground, background) == OK
    else { return (attributes, 0) }
    return (attributes, pair)
  }
}

/// The value of environment variable `name`, if set.
func environment(_ name: String) -> String? {
  guard let value = getenv(name) else { return nil }
  return String(cString: value)
}
