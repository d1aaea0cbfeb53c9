import Engine
import Script

extension AppState {
  mutating func pickerKey(_ key: Key) -> [Effect] {
    switch key {
    case .escape, .character("q"), .character("S"): mode = .normal
    case .up, .character("k"): pickerSelection = max(0, pickerSelection - 1)
    case .down, .character("j"): pickerSelection = min(scenarios.count - 1, pickerSelection + 1)
    case .home: pickerSelection = 0
    case .end: pickerSelection = max(0, scenarios.count - 1)
    case .enter, .character(" "):
      guard scenarios.indices.contains(pickerSelection) else { return [] }
      mode = .normal
      return startScenario(scenarios[pickerSelection])
    default: break
    }
    return []
  }

  /// Starts playing `scenario` on a fresh session (one booted, pinned vCPU, as `crpin run`
  /// starts); undoable.
  public mutating func startScenario(_ scenario: PlaybackScenario) -> [Effect] {
    let effects = replaceHistory(session: Session(), vcpu: 0, transcript: Transcript())
    playback = Playback(scenario: scenario)
    note("scenario \(scenario.id): \(scenario.title)")
    return effects
  }

  /// Starts the scenario with this id (case-insensitive); `false` if there is none.
  public mutating func startScenario(id: String) -> [Effect]? {
    guard let scenario = scenarios.first(where: { $0.id == id.lowercased() }) else { return nil }
    return startScenario(scenario)
  }

  /// Runs the next scenario step: every statement up to the next narration.
  mutating func stepForward() -> [Effect] {
    guard var playing = playback else {
      message = StatusMessage("no scenario playing: S picks one")
      return []
    }
    guard let step = playing.nextStep else {
      playing.autoplay = false
      playback = playing
      message = StatusMessage("scenario finished: p steps back, S picks another")
      return []
    }
    let before = snapshot
    var added: [String] = []
    for line in step.lines {
      do {
        added += try runLine(line.text, on: nil)
      } catch {
        playing.autoplay = false
        playing.failure = "line \(error.line), column \(error.column): \(error.message)"
        playback = playing
        message = StatusMessage("scenario step refused: \(error.message)", isError: true)
        return isRecording ? [.record(added)] : []
      }
    }
    // One undo entry for the whole step.
    undoStack.removeLast(step.lines.count)
    undoStack.append(before)
    vcpu = min(max(session.selectedVCPU, 0), vm.vcpus.count - 1)
    playing.position += 1
    playing.elapsed = 0
    playing.failure = nil
    if playing.isFinished { playing.autoplay = false }
    playback = playing
    return isRecording ? [.record(added)] : []
  }

  /// Goes back one step by replaying the scenario from its start (actions taken by hand in
  /// between are dropped).
  mutating func stepBack() -> [Effect] {
    guard let playing = playback else {
      message = StatusMessage("no scenario playing: S picks one")
      return []
    }
    guard playing.position > 0 else {
      message = StatusMessage("at the start of the scenario")
      return []
    }
    var rebuilt = Session()
    var lines: [String] = []
    replay: for step in playing.scenario.steps.prefix(playing.position - 1) {
      for line in step.lines {
        guard (try? rebuilt.run(line: line.text, lineNumber: lines.count + 1)) != nil || line.text.isEmpty
        else { break replay }
        lines.append(line.text)
      }
    }
    var transcript = Transcript()
    transcript.append(lines)
    let effects = replaceHistory(
      session: rebuilt, vcpu: min(max(rebuilt.selectedVCPU, 0), rebuilt.vm.vcpus.count - 1),
      transcript: transcript)
    var back = playing
    back.position -= 1
    back.autoplay = false
    back.elapsed = 0
    back.failure = nil
    playback = back
    note("back to step \(back.position) of \(playing.scenario.steps.count) of \(playing.scenario.id)")
    return effects
  }

  mutating func toggleAutoplay() {
    guard var playing = playback else {
      message = StatusMessage("no scenario playing: S picks one")
      return
    }
    if playing.isFinished {
      message = StatusMessage("scenario finished: p steps back, S picks another")
      return
    }
    playing.autoplay.toggle()
    playing.elapsed = 0
    playback = playing
    message = StatusMessage(playing.autoplay ? "autoplay on (a stops)" : "autoplay off")
  }
}
