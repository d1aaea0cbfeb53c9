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
  /// starts): a step of the history.
  public mutating func startScenario(_ scenario: PlaybackScenario) -> [Effect] {
    startFresh(
      session: Session(), playback: Playback(scenario: scenario),
      note: "scenario \(scenario.id): \(scenario.title)")
  }

  /// Starts the scenario with this id (case-insensitive); `false` if there is none.
  public mutating func startScenario(id: String) -> [Effect]? {
    guard let scenario = scenarios.first(where: { $0.id == id.lowercased() }) else { return nil }
    return startScenario(scenario)
  }

  /// `n`: the next scenario step — in predict mode, first its set-up (the statements before the
  /// one asked about, so the question is put against the state it really runs in), then the
  /// room's prediction.
  mutating func stepForward() -> [Effect] {
    if quiz != nil, let question = playback?.nextStep?.questionIndex {
      if var playing = playback, playing.autoplay {
        playing.autoplay = false
        playback = playing
      }
      var effects: [Effect] = []
      if let playing = playback, playing.linesRun < question {
        effects = runNextStep(upTo: question).effects
        guard playback?.failure == nil else { return effects }
      }
      mode = .predict
      return effects
    }
    return runNextStep().effects
  }

  /// Runs the next scenario step: every statement up to the next narration (or, with `end`, the
  /// statements before line `end` of the step: its set-up, the step stays next); returns the
  /// effects and what each statement did.
  mutating func runNextStep(upTo end: Int? = nil) -> (effects: [Effect], records: [StepRecord]) {
    guard var playing = playback else {
      message = StatusMessage("no scenario playing: S picks one")
      return ([], [])
    }
    guard let step = playing.nextStep else {
      playing.autoplay = false
      playback = playing
      message = StatusMessage("scenario finished: p steps back, S picks another")
      return ([], [])
    }
    var pending = PendingStep(from: session)
    let stop = min(end ?? step.lines.count, step.lines.count)
    for line in step.lines[min(playing.linesRun, stop)..<stop] {
      do {
        try run(line.text, on: nil, in: &pending)
      } catch {
        playing.autoplay = false
        playing.failure = "line \(error.line), column \(error.column): \(error.message)"
        playback = playing
        commit(pending)
        message = StatusMessage("scenario step refused: \(error.message)", isError: true)
        return (isRecording ? [.record(pending.lines)] : [], pending.records)
      }
    }
    if stop < step.lines.count {
      playing.linesRun = stop
    } else {
      playing.position += 1
      playing.linesRun = 0
    }
    playing.elapsed = 0
    playing.failure = nil
    if playing.isFinished { playing.autoplay = false }
    playback = playing
    // One step of the history for the whole scenario step.
    commit(pending)
    return (isRecording ? [.record(pending.lines)] : [], pending.records)
  }

  /// Goes back one scenario step: to the point of the history where the previous step had
  /// just run (actions taken by hand since are later points, kept until a new step).
  mutating func stepBack() -> [Effect] {
    guard let playing = playback else {
      message = StatusMessage("no scenario playing: S picks one")
      return []
    }
    // With the next step's set-up already run (predict mode), back to before that set-up.
    let target = playing.linesRun > 0 ? playing.position : playing.position - 1
    guard target >= 0 else {
      message = StatusMessage("at the start of the scenario")
      return []
    }
    guard let index = history.pointBefore(runPosition: target) else {
      message = StatusMessage("step \(target) is not in the history", isError: true)
      return []
    }
    return jump(to: index)
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
    if quiz != nil {
      message = StatusMessage("predict mode: n asks for each step's prediction (no autoplay)")
      return
    }
    playing.autoplay.toggle()
    playing.elapsed = 0
    playback = playing
    message = StatusMessage(playing.autoplay ? "autoplay on (a stops)" : "autoplay off")
  }
}
