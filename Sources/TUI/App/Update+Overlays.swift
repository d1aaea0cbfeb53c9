import Engine
import Script

extension AppState {
  /// `c`: opens the compare pane on the transcript replayed under every mechanism — at once
  /// when the transcript is the one last compared, else a slice now and the rest on the
  /// following ticks (`advanceCompare`).
  mutating func openCompare() {
    let key = CompareJob.key(transcript, playback: playback)
    if let computed = lastComparison, computed.key == key {
      mode = .compare(ComparePaneState(columns: .ready(CompareColumns(computed, playback: playback))))
      return
    }
    mode = .compare(ComparePaneState(columns: .computing(CompareJob(key))))
    advanceCompare()
  }

  /// Lets a compare pane still computing its columns parse or run its next
  /// `CompareJob.statementsPerUpdate` statements; once all ran, the pane shows them.
  mutating func advanceCompare() {
    guard case .compare(var pane) = mode, case .computing(var job) = pane.columns else { return }
    job.advance(by: CompareJob.statementsPerUpdate)
    switch job.outcome {
    case nil:
      pane.columns = .computing(job)
    case .failure:
      mode = .normal
      message = StatusMessage("the transcript does not parse back: nothing to compare", isError: true)
      return
    case .success(let computed):
      lastComparison = computed
      pane.columns = .ready(CompareColumns(computed, playback: playback))
    }
    mode = .compare(pane)
  }

  /// The compare pane: the cursor still moves (the previews follow); PgUp/PgDn scroll the
  /// scenario's matrix; Esc or `c` close it.
  mutating func compareKey(_ key: Key, pane: ComparePaneState) -> [Effect] {
    var pane = pane
    switch OverlayKeymap.command(for: key, in: .compare) {
    case .close?:
      mode = .normal
      return []
    case .moveBit(let step)?: cursor = cursor.moved(by: step)
    case .switchRegister?: cursor = cursor.switchedRegister(columnOf: BitColumns.valueColumn(of:))
    case .toEnd(let first)?: cursor = cursor.atEnd(first: first)
    case .scrollMatrix(let lines)?: pane.scroll = max(0, pane.scroll + lines)
    default: break
    }
    mode = .compare(pane)
    return []
  }

  /// `?`, `D` and `:help`: an overlay of text scrolled `scroll` lines, with the arrows and
  /// PgUp/PgDn; `scrolled` makes the mode for a new scroll. Any other key closes it.
  mutating func scrollKey(_ key: Key, scroll: Int, _ scrolled: (Int) -> Mode) -> [Effect] {
    switch OverlayKeymap.command(for: key, in: mode.kind) {
    case .move(let lines)?: mode = scrolled(max(0, scroll + lines))
    case .toEnd(first: true)?: mode = scrolled(0)
    default: mode = .normal
    }
    return []
  }

  /// A picker's or the timeline's highlighted row after `command`, among `count` rows; nil for
  /// a command that does not move it.
  static func row(_ selection: Int, after command: OverlayKeymap.Command?, count: Int) -> Int? {
    switch command {
    case .move(let rows)?: min(max(0, selection + rows), max(0, count - 1))
    case .toEnd(let first)?: first ? 0 : max(0, count - 1)
    default: nil
    }
  }

  /// `T`: the timeline; ↑↓ choose a step, Enter shows it, Esc closes.
  mutating func timelineKey(_ key: Key, selection: Int) -> [Effect] {
    let command = OverlayKeymap.command(for: key, in: .timeline)
    switch command {
    case .close?: mode = .normal
    case .confirm?:
      mode = .normal
      return jump(to: selection)
    default:
      if let row = Self.row(selection, after: command, count: history.points.count) {
        mode = .timeline(selection: row)
      }
    }
    return []
  }

  /// Predict mode: a prediction key runs the step and scores it; Esc goes back without
  /// running it.
  mutating func predictKey(_ key: Key) -> [Effect] {
    let prediction: Prediction
    switch OverlayKeymap.command(for: key, in: .predict) {
    case .close?:
      mode = .normal
      return []
    case .scrollNarration(let lines)?:
      scrollNarration(by: lines)
      return []
    case .predict(let chosen)?: prediction = chosen
    default: return []
    }
    mode = .normal
    let statement = playback?.nextStep?.questionLine?.text ?? ""
    let (effects, records) = runNextStep()
    let asked =
      records.last { $0.text == statement && $0.outcome != nil } ?? records.last { $0.outcome != nil }
    if let asked, let actual = Prediction(asked) {
      let verdict = Quiz.Verdict(statement: asked.text, predicted: prediction, actual: actual)
      quiz?.record(verdict)
      let score = "score \(quiz?.correct ?? 0)/\(quiz?.answered ?? 0)"
      message = StatusMessage(
        verdict.isRight
          ? "✓ \(actual.label): right — \(score)"
          : "✗ you said \(prediction.label); it was \(actual.label) — \(score)")
    }
    return effects
  }
}
