import Engine

/// The bottom line: the keys that matter now, most useful first, and `? help` `q quit` at its
/// right end at every width; a message in place of the keys; or the command line.
enum KeyBar {
  /// A key and what it does, as the bar shows it.
  struct Hint: Equatable {
    var key: String
    var text: String
  }

  static func draw(_ state: AppState, into screen: inout Screen, width: Int, row: Int) {
    screen.fill(row: row, column: 0, width: width, height: 1)
    if state.mode.kind == .command {
      PromptPanel.draw(state, into: &screen, width: width, row: row)
      return
    }
    let fixed = Keymap.alwaysOnBar.map { Hint(key: $0.barKey, text: Keymap.brief($0, in: state)) }
    let hints = self.hints(state)
    // Two spaces between hints; one in predict mode when that is what it takes for every
    // prediction key to show.
    let predictions = state.mode.kind == .predict ? hints.filter { $0.key != "Esc" } : []
    let spacious = width - length(fixed, compact: false) > length(predictions, compact: false)
    let fixedRuns = runs(fixed, compact: !spacious)
    let fixedStart = width - length(fixed, compact: !spacious)
    screen.put(runs: fixedRuns, row: row, column: fixedStart)
    if let message = state.message {
      screen.put(
        clipped: " " + message.text, row: row, column: 0, width: fixedStart - 1,
        role: message.isError ? .alarm : .title)
      return
    }
    var shown: [Hint] = []
    for hint in hints where length(shown + [hint], compact: !spacious) <= fixedStart - 1 {
      shown.append(hint)
    }
    screen.put(runs: runs(shown, compact: !spacious), row: row, column: 0, limit: fixedStart - 1)
  }

  /// The columns `hints` take.
  static func length(_ hints: [Hint], compact: Bool) -> Int {
    hints.reduce(0) { $0 + $1.key.columns + $1.text.columns + (compact ? 2 : 3) }
  }

  private static func runs(_ hints: [Hint], compact: Bool) -> [Run] {
    hints.flatMap { [Run(" "), Run($0.key, .key), Run(" " + $0.text + (compact ? "" : " "))] }
  }

  /// The hints of the mode, most useful first (without the ones every bar ends with).
  static func hints(_ state: AppState) -> [Hint] {
    if case .normal = state.mode { return registerViewHints(state) }
    if case .command = state.mode { return registerViewHints(state) }
    return OverlayKeymap.bindings(state.mode.kind).compactMap { binding in
      guard let hint = binding.hint else { return nil }
      // Ctrl-C asked: a second one quits too.
      if case .quitConfirm(byInterrupt: true) = state.mode, binding.command == .quit {
        return Hint(key: hint.key + "/C-c", text: hint.text)
      }
      return Hint(key: hint.key, text: hint.text)
    }
  }

  /// The register view's keys from the keymap, ranked for the state; keys that share a brief
  /// next to each other share a hint (`H/L pin`, `+/-/= host`).
  static func registerViewHints(_ state: AppState) -> [Hint] {
    let ranked = Keymap.groups.flatMap(\.bindings).enumerated().compactMap { offset, binding in
      Keymap.barRank(binding, in: state).map { (binding, $0, offset) }
    }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.2 < $1.2 }
    var hints: [Hint] = []
    for (binding, _, _) in ranked {
      let text = Keymap.brief(binding, in: state)
      if let last = hints.last, last.text == text {
        hints[hints.count - 1].key += "/" + binding.barKey
      } else {
        hints.append(Hint(key: binding.barKey, text: text))
      }
    }
    return hints
  }
}
