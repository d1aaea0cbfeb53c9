import Engine
import Script

extension AppState {
  mutating func pickerKey(_ key: Key, selection: Int) -> [Effect] {
    let command = OverlayKeymap.command(for: key, in: .scenarioPicker)
    switch command {
    case .close?: mode = .normal
    case .confirm?:
      guard scenarios.indices.contains(selection) else { return [] }
      mode = .normal
      return startScenario(scenarios[selection])
    default:
      if let row = Self.row(selection, after: command, count: scenarios.count) {
        mode = .scenarioPicker(selection: row)
      }
    }
    return []
  }

  /// Starts playing `scenario` on a fresh session (one booted, pinned vCPU, as `crpin run`
  /// starts): a step of the history.
  public mutating func startScenario(_ scenario: PlaybackScenario) -> [Effect] {
    narrationScroll = 0
    outcomeEmphasis = nil
    return startFresh(
      session: Session(vm: VirtualMachine(bootedWith: 1, options: startOptions)),
      playback: Playback(scenario: scenario),
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
        presentStep(pending.records, narrationMoved: false)
        message = StatusMessage("scenario step refused: \(error.message)", isError: true)
        return (isRecording ? [.record(pending.lines)] : [], pending.records)
      }
    }
    let finishesStep = stop >= step.lines.count
    if !finishesStep {
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
    presentStep(pending.records, narrationMoved: finishesStep)
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
    narrationScroll = 0
    outcomeEmphasis = nil
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

extension AppState {
  /// After a scenario step ran: its outcome is emphasised, the cursor goes to the bit it acted
  /// on, and new narration starts at its top.
  mutating func presentStep(_ records: [StepRecord], narrationMoved: Bool) {
    if records.contains(where: { $0.outcome != nil }) { outcomeEmphasis = 0 }
    if let bit = Self.focus(of: records) { cursor = bit }
    if narrationMoved { narrationScroll = 0 }
    markScenarioStep()
  }

  /// Labels the first entry the current point logged with the scenario step it belongs to.
  private mutating func markScenarioStep() {
    guard let playing = playback, history.isScenarioStep(history.position) else { return }
    let from = history.points[history.position - 1].logCount - droppedLogEntries
    let to = min(history.current.logCount - droppedLogEntries, log.count)
    guard from >= 0, from < to, let first = log[from..<to].firstIndex(where: { $0.vcpu != nil }) else {
      return
    }
    log[first].scenarioStep = playing.progressLabel
  }

  /// The bit a step acts on: that of its last action which names or concerns one — a bit
  /// named in the statement (`mov cr4, cr4 & ~SMAP`), the bit an exploit action meets (`exec
  /// user`: SMEP; `access user`, `stac`, `clac`: SMAP), or a CR0/CR4 bit the action changed.
  static func focus(of records: [StepRecord]) -> BitCursor? {
    for record in records.reversed() where record.action != nil {
      if let bit = namedBit(in: record.text) { return BitCursor(bit.register, bit.index) }
      switch record.action {
      case .execUser: return BitCursor(.cr4, 20)
      case .accessUser, .stac, .clac: return BitCursor(.cr4, 21)
      default: break
      }
      if let changed = changedBit(record) { return changed }
    }
    return nil
  }

  /// The first bit a statement names in capitals (`SMEP`, `cr0.WP`).
  private static func namedBit(in text: String) -> BitInfo? {
    let lower = text.lowercased()
    for word in text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }) {
      let name = String(word)
      guard name.count > 1, name == name.uppercased(), name.first?.isLetter == true else { continue }
      let register: PinnableRegister = lower.contains("cr0") && !lower.contains("cr4") ? .cr0 : .cr4
      if let bit = register.bits.first(where: { $0.mnemonic == name }) ?? BitCatalog.lookup(name) {
        return bit
      }
    }
    return nil
  }

  /// The highest named CR4 (then CR0) bit an action changed on its vCPU.
  private static func changedBit(_ record: StepRecord) -> BitCursor? {
    guard let outcome = record.outcome, outcome.before.vcpus.indices.contains(record.vcpu),
      outcome.after.vcpus.indices.contains(record.vcpu)
    else { return nil }
    let before = outcome.before.vcpus[record.vcpu].registers
    let after = outcome.after.vcpus[record.vcpu].registers
    for (register, diff) in [(PinnableRegister.cr4, before.cr4 ^ after.cr4), (.cr0, before.cr0 ^ after.cr0)] {
      if let bit = register.bits.sorted(by: { $0.index > $1.index }).first(where: { diff & $0.mask != 0 }) {
        return BitCursor(register, bit.index)
      }
    }
    return nil
  }

  /// Lets the emphasis of a step's outcome fade: called with the milliseconds since the last
  /// tick.
  mutating func advanceEmphasis(by milliseconds: Int) {
    guard let elapsed = outcomeEmphasis else { return }
    let now = elapsed + max(0, milliseconds)
    outcomeEmphasis = now >= PresenterStep.emphasisMilliseconds ? nil : now
  }

  /// Scrolls the narration by `lines` (positive: down), within what there is to show.
  mutating func scrollNarration(by lines: Int) {
    let limit = NarrationText.scrollLimit(self, width: size.width, height: size.height)
    narrationScroll = min(max(0, narrationScroll + lines), limit)
  }
}

extension AppState {
  /// Whether the screen cell at `row`, `column` is in the narration (for the wheel).
  func isOverNarration(row: Int, column: Int) -> Bool {
    guard playback != nil, !isTooSmall else { return false }
    let rect: Rect?
    if usesPresenterLayout(width: size.width, height: size.height) {
      rect = PresenterLayout(self, width: size.width, height: size.height).narration
    } else {
      rect = Layout(self, width: size.width, height: size.height).narration
    }
    guard let rect else { return false }
    return (rect.row...rect.bottom).contains(row) && (rect.column...rect.right).contains(column)
  }
}
