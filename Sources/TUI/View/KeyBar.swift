import Engine

/// The bottom line: the keys that matter now, a message, or the command line.
enum KeyBar {
  static func draw(_ state: AppState, into screen: inout Screen, width: Int, row: Int) {
    screen.fill(row: row, column: 0, width: width, height: 1)
    if state.mode == .command {
      drawPrompt(state, into: &screen, width: width, row: row)
      return
    }
    if let message = state.message {
      screen.put(
        clipped: " " + message.text, row: row, column: 0, width: width,
        role: message.isError ? .alarm : .title)
      return
    }
    var runs: [Run] = []
    for (key, text) in hints(state) {
      runs += [Run(" "), Run(key, .key), Run(" " + text + " ", .normal)]
    }
    screen.put(runs: runs, row: row, column: 0, limit: width - 1)
  }

  private static func hints(_ state: AppState) -> [(String, String)] {
    switch state.mode {
    case .help: return [("Esc", "close help")]
    case .scenarioPicker: return [("↑↓", "choose"), ("Enter", "play"), ("Esc", "cancel")]
    case .quitConfirm: return [("y", "quit, losing the actions"), ("n", "stay")]
    case .command: return []
    case .predict:
      return [
        ("o", "ok"), ("g", "#GP"), ("u", "#UD"), ("f", "#PF"), ("x", "VM exit"), ("d", "dropped"),
        ("w", "restored"), ("r", "rejected"), ("Esc", "not yet"),
      ]
    case .compare: return [("←→", "bit"), ("↑↓", "register"), ("PgUp/PgDn", "matrix"), ("Esc", "close")]
    case .discrepancies: return [("↑↓", "scroll"), ("Esc", "close")]
    case .timeline: return [("↑↓", "choose"), ("Enter", "go to that step"), ("Esc", "close")]
    case .normal:
      var hints: [(String, String)] = []
      if state.playback != nil { hints += [("n", "next"), ("p", "back"), ("a", "auto")] }
      hints += [
        ("Spc", "toggle"), ("H/L", "pin"), ("+/-/=", "host"), ("s", "SMI/RSM"), ("v", "L2"),
        ("u", "undo"), (":", "cmd"), ("?", "help"), ("q", "quit"), ("M", "mech"), ("c", "compare"),
      ]
      return hints
    }
  }

  private static func drawPrompt(_ state: AppState, into screen: inout Screen, width: Int, row: Int) {
    let prompt = state.prompt
    let chars = Array(prompt.text)
    // Scroll the text so the cursor stays visible.
    let room = max(1, width - 2)
    let offset = max(0, prompt.cursor - room + 1)
    screen.put(":", row: row, column: 0, role: .key)
    var column = 1
    for (i, ch) in chars.enumerated().dropFirst(offset) {
      guard column < width else { break }
      let scalar = ch.unicodeScalars.first ?? " "
      screen[row, column] = Cell(scalar, i == prompt.cursor ? .cursor : .normal)
      column += 1
    }
    if prompt.cursor >= chars.count, 1 + prompt.cursor - offset < width {
      screen[row, 1 + prompt.cursor - offset] = Cell(" ", .cursor)
    }
    guard let failure = prompt.failure, row > 0 else { return }
    screen.fill(row: row - 1, column: 0, width: width, height: 1)
    let caret = min(max(1, failure.column - offset), width - 1)
    let text = "column \(failure.column): \(failure.message)"
    if caret + 2 + text.columns <= width {
      screen.put("^ " + text, row: row - 1, column: caret, role: .alarm)
    } else {
      screen.put(clipped: text + " ", row: row - 1, column: 0, width: max(0, caret), role: .alarm)
      screen.put("^", row: row - 1, column: caret, role: .alarm)
    }
  }
}
