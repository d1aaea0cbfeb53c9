import Script
import TUI

/// `crpin export asciicast`: the TUI playing a script, one frame per step, as asciicast v2 —
/// a JSON header line (`version`, `width`, `height`, `title`, `env`; no timestamp, so the file
/// is deterministic), then `[seconds, "o", "text"]` lines.
///
/// The TUI's pure state is driven as a trainer would: the script becomes a playback scenario,
/// each step is one statement that acts (with the `expect` lines after it) and carries the
/// narration that precedes it, and `n` runs it. Each frame is `view(state)` written whole:
/// cursor home, clear, then every row with SGR attributes from the monochrome theme (bold,
/// dim, underline, reverse).
enum Asciicast {
  /// Seconds a frame stays, in tenths.
  static let frameTenths = 15
  /// Extra tenths for a frame that shows new narration (time to read it).
  static let narrationTenths = 30

  /// The cast, or why the script cannot be played.
  static func render(source: String, id: String, title: String, width: Int, height: Int) -> Result<
    String, Failure
  > {
    var scenario = PlaybackScenario(id: id, title: title, source: source)
    if let problem = scenario.problem { return .failure(Failure(message: problem)) }
    scenario.steps = statementSteps(scenario.steps)
    var state = AppState(
      vcpuCount: 1, scenarios: [scenario], size: TerminalSize(width: width, height: height))
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
    var lines = [header(width: width, height: height, title: "crpin: \(id) — \(title)")]
    var tenths = 0
    var previous: [String] = []
    for frame in frames {
      lines.append(event(tenths: tenths, text: frameText(frame.screen)))
      let fresh = !frame.narration.isEmpty && frame.narration != previous
      tenths += frameTenths + (fresh ? narrationTenths : 0)
      previous = frame.narration
    }
    // An empty write holds the last frame on screen for its time.
    lines.append(event(tenths: tenths, text: ""))
    return .success(lines.joined(separator: "\n") + "\n")
  }

  /// Why a script cannot be played.
  struct Failure: Error {
    let message: String
  }

  /// The playback steps cut at each statement that acts: the `expect` lines after a statement
  /// stay with it, and every piece keeps its step's narration (so it stays on screen while the
  /// step's statements run).
  private static func statementSteps(_ steps: [PlaybackScenario.Step]) -> [PlaybackScenario.Step] {
    var result: [PlaybackScenario.Step] = []
    for step in steps {
      var pieces: [[PlaybackScenario.Line]] = []
      for line in step.lines {
        if line.isCheck, !pieces.isEmpty {
          pieces[pieces.count - 1].append(line)
        } else {
          pieces.append([line])
        }
      }
      for piece in pieces {
        var part = step
        part.lines = piece
        result.append(part)
      }
    }
    return result
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
        out.unicodeScalars.append(cell.scalar)
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
