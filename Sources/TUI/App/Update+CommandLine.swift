import Script

extension AppState {
  mutating func commandKey(_ key: Key) -> [Effect] {
    switch key {
    case .escape: mode = .normal
    case .enter: return runPrompt()
    case .character(let c): prompt.insert(c)
    case .backspace:
      if prompt.text.isEmpty { mode = .normal } else { prompt.delete(backward: true) }
    case .delete: prompt.delete(backward: false)
    case .left: prompt.moveCursor(by: -1)
    case .right: prompt.moveCursor(by: 1)
    case .home, .control("a"): prompt.cursor = 0
    case .end, .control("e"): prompt.cursor = prompt.text.count
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

  /// Runs the command line's statement: an error stays on the prompt with its column; a
  /// statement that ran goes to the log and the transcript, and the prompt closes.
  private mutating func runPrompt() -> [Effect] {
    let text = prompt.text.trimmingCharacters(in: " \t")
    guard !text.isEmpty else {
      mode = .normal
      return []
    }
    prompt.remember(text)
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
}
