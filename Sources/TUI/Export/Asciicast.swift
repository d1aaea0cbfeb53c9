import Script

/// `crpin export asciicast` (pure, here beside the view it records, so the fuzz target reaches
/// it too): the TUI playing a script, one frame per step, as asciicast v2 —
/// a JSON header line (`version`, `width`, `height`, `title`, `env`; no timestamp, so the file
/// is deterministic), then `[seconds, "o", "text"]` lines.
///
/// The TUI's pure state is driven as a trainer would: the script is a playback scenario, cut
/// into steps at its narration exactly as `crpin tui --scenario` cuts it, and `n` runs each
/// step, so the frames count `step 0/N` … `step N/N` as the TUI does. A recording is watched,
/// not driven: the key bar of interactive keys is not drawn. Each frame is `view(state)`
/// written whole: cursor home, clear, then every row with SGR attributes from the monochrome
/// theme (bold, dim, underline, reverse).
public enum Asciicast {
  /// Seconds a frame stays, in tenths.
  static let frameTenths = 15
  /// Extra time for a frame that shows new narration: tenths per word (about 240 words a
  /// minute), at least `minimumReadingTenths`.
  static let readingTenthsPerWord = 2.5
  /// The least reading time, in tenths.
  static let minimumReadingTenths = 30

  /// The cast, or why the script cannot be played.
  public static func render(_ scenario: PlaybackScenario, width: Int, height: Int) -> Result<String, Failure>
  {
    if let problem = scenario.problem { return .failure(Failure(message: problem)) }
    var state = AppState(
      vcpuCount: 1, scenarios: [scenario], size: TerminalSize(width: width, height: height))
    state.showsKeys = false
    _ = state.startScenario(scenario)
    var frames: [(screen: Screen, narration: [String])] = []
    func capture() {
      let shown = state.playback?.nextStep?.narration ?? scenario.conclusion
      frames.append((view(state, width: width, height: height), shown))
    }
    capture()
    for _ in scenario.steps {
      _ = update(&state, .key(.character("n")))
      if let failure = state.playback?.failure { return .failure(Failure(message: failure)) }
      capture()
    }
    var lines = [header(width: width, height: height, title: "crpin: \(scenario.id) — \(scenario.title)")]
    var tenths = 0
    var previous: [String] = []
    for frame in frames {
      lines.append(event(tenths: tenths, text: frameText(frame.screen)))
      let fresh = !frame.narration.isEmpty && frame.narration != previous
      tenths += frameTenths + (fresh ? readingTenths(frame.narration) : 0)
      previous = frame.narration
    }
    // An empty write holds the last frame on screen for its time.
    lines.append(event(tenths: tenths, text: ""))
    return .success(lines.joined(separator: "\n") + "\n")
  }

  /// Why a script cannot be played.
  public struct Failure: Error {
    /// What went wrong, worded for standard error.
    public let message: String
  }

  /// Time to read `narration`, in tenths of a second.
  static func readingTenths(_ narration: [String]) -> Int {
    let words = narration.reduce(0) { $0 + $1.split(whereSeparator: { $0 == " " }).count }
    return max(minimumReadingTenths, Int((Double(words) * readingTenthsPerWord).rounded()))
  }

  private static func header(width: Int, height: Int, title: String) -> String {
    "{\"version\": 2, \"width\": \(width), \"height\": \(height), \"title\": \(JSONText.quoted(title)), "
      + "\"env\": {\"TERM\": \"xterm-256color\", \"SHELL\": \"/bin/sh\"}}"
  }

  private static func event(tenths: Int, text: String) -> String {
    "[\(tenths / 10).\(tenths % 10), \"o\", \(JSONText.quoted(text))]"
  }

  /// The screen as terminal output: home, clear, then each row at its position; trailing blank
  /// cells without attributes are left out.
  static func frameText(_ screen: Screen) -> String {
    var out = "\u{1b}[H\u{1b}[2J"
    for row in 0..<screen.height {
      var last = screen.width - 1
      while last >= 0, screen[row, last].scalar == " ", codes(screen[row, last].role).isEmpty { last -= 1 }
      guard last >= 0 else { continue }
      out += "\u{1b}[\(row + 1);1H"
      var current = ""
      for column in 0...last {
        let cell = screen[row, column]
        let wanted = codes(cell.role)
        if wanted != current {
          out += "\u{1b}[0" + (wanted.isEmpty ? "" : ";" + wanted) + "m"
          current = wanted
        }
        // A control character from the script's text is drawn as `?`, as the TUI draws it.
        out.unicodeScalars.append(TerminalSafe.isControl(cell.scalar) ? "?" : cell.scalar)
      }
      if !current.isEmpty { out += "\u{1b}[0m" }
    }
    return out
  }

  /// SGR parameters for a role under the monochrome theme: `1;4` for bold underline.
  private static func codes(_ role: Role) -> String {
    let look = Theme.monochrome[role]
    var parts: [String] = []
    if look.bold { parts.append("1") }
    if look.dim { parts.append("2") }
    if look.underline { parts.append("4") }
    if look.reverse { parts.append("7") }
    return parts.joined(separator: ";")
  }
}
