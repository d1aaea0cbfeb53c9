import Script

extension AppState {
  mutating func commandKey(_ key: Key) -> [Effect] {
    if key != .tab, key != .backTab { prompt.completion = nil }
    switch key {
    case .escape, .control("c"): closePrompt()
    case .enter: return runPrompt()
    case .tab, .backTab:
      if !prompt.complete(forward: key == .tab) {
        message = StatusMessage("nothing completes `\(prompt.text)` here")
      }
    case .character(let c): prompt.insert(c)
    case .backspace:
      if prompt.characters.isEmpty { closePrompt() } else { prompt.delete(backward: true) }
    case .delete: prompt.delete(backward: false)
    case .left: prompt.moveCursor(by: -1)
    case .right: prompt.moveCursor(by: 1)
    case .home, .control("a"): prompt.cursor = 0
    case .end, .control("e"): prompt.cursor = prompt.characters.count
    case .control("u"):
      prompt.text = ""
      prompt.cursor = 0
      prompt.failure = nil
    case .up: prompt.browseHistory(older: true)
    case .down: prompt.browseHistory(older: false)
    case .pageUp: logScroll += 5
    case .pageDown: logScroll = max(0, logScroll - 5)
    default: break
    }
    return []
  }

  /// Esc, Ctrl-C, or Backspace on an empty line: the line is dropped (it stays in the history
  /// only if it was entered before).
  private mutating func closePrompt() {
    prompt.reset()
    mode = .normal
  }

  /// Runs the command line's statement: an error stays on the prompt with its column; a
  /// statement that ran goes to the log and the transcript, and the prompt closes. `help`
  /// shows the language instead.
  private mutating func runPrompt() -> [Effect] {
    let text = prompt.text.trimmingCharacters(in: " \t")
    guard !text.isEmpty else {
      closePrompt()
      return []
    }
    prompt.remember(text)
    if let words = Self.helpWords(text) {
      showHelp(words)
      return []
    }
    let lines: [String]
    do {
      lines = try runLine(text, on: vcpu)
    } catch {
      prompt.historyIndex = nil
      prompt.failure = Prompt.Failure(column: error.column, message: error.message)
      return []
    }
    vcpu = min(max(session.selectedVCPU, 0), vm.vcpus.count - 1)
    prompt.reset()
    mode = .normal
    return isRecording ? [.record(lines)] : []
  }

  /// The words after `help` when `text` asks for help (`help`, `help mov`), else `nil`.
  static func helpWords(_ text: String) -> [String]? {
    let words = text.split { $0 == " " || $0 == "\t" }.map(String.init)
    guard words.first?.lowercased() == "help" else { return nil }
    return Array(words.dropFirst())
  }

  /// `help`: the whole language in an overlay; `help NAME`: that statement's lines above the
  /// prompt, which stays open for the statement.
  private mutating func showHelp(_ words: [String]) {
    guard !words.isEmpty else {
      prompt.reset()
      mode = .languageHelp(scroll: 0)
      return
    }
    let entries = LanguageHelp.entries(for: words)
    guard !entries.isEmpty else {
      let guess = LanguageHelp.closestTopic(to: words[0]).map { "; did you mean '\($0)'?" }
      // The column of the word after `help` in the line as typed.
      let typed = prompt.characters
      var column = (typed.firstIndex { $0 != " " && $0 != "\t" } ?? 0) + 4
      while column < typed.count, typed[column] == " " || typed[column] == "\t" { column += 1 }
      prompt.historyIndex = nil
      prompt.failure = Prompt.Failure(
        column: column + 1,
        message: "no help on '\(words[0])'" + (guess ?? " (help alone lists the whole language)"))
      return
    }
    prompt.reset()
    prompt.shownHelp = entries
  }
}
