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
    switch key {
    case .escape, .character("c"):
      mode = .normal
      return []
    case .left, .character("h"): cursor = cursor.moved(by: -1)
    case .right, .character("l"): cursor = cursor.moved(by: 1)
    case .up, .down, .character("j"), .character("k"):
      cursor = cursor.switchedRegister(columnOf: BitColumns.valueColumn(of:))
    case .home: cursor = cursor.atEnd(first: true)
    case .end: cursor = cursor.atEnd(first: false)
    case .pageDown: pane.scroll += 5
    case .pageUp: pane.scroll = max(0, pane.scroll - 5)
    default: break
    }
    mode = .compare(pane)
    return []
  }

  /// `D` and `:help`: an overlay of text scrolled `scroll` lines, with the arrows and
  /// PgUp/PgDn; `scrolled` makes the mode for a new scroll. Any other key closes it.
  mutating func scrollKey(_ key: Key, scroll: Int, _ scrolled: (Int) -> Mode) -> [Effect] {
    switch key {
    case .down, .character("j"): mode = scrolled(scroll + 1)
    case .up, .character("k"): mode = scrolled(max(0, scroll - 1))
    case .pageDown, .character(" "): mode = scrolled(scroll + 10)
    case .pageUp: mode = scrolled(max(0, scroll - 10))
    case .home: mode = scrolled(0)
    default: mode = .normal
    }
    return []
  }

  /// `T`: the timeline; ↑↓ choose a step, Enter shows it, Esc closes.
  mutating func timelineKey(_ key: Key, selection: Int) -> [Effect] {
    let last = history.points.count - 1
    switch key {
    case .escape, .character("T"): mode = .normal
    case .up, .character("k"): mode = .timeline(selection: max(0, selection - 1))
    case .down, .character("j"): mode = .timeline(selection: min(last, selection + 1))
    case .pageUp: mode = .timeline(selection: max(0, selection - 10))
    case .pageDown: mode = .timeline(selection: min(last, selection + 10))
    case .home: mode = .timeline(selection: 0)
    case .end: mode = .timeline(selection: last)
    case .enter, .character(" "):
      mode = .normal
      return jump(to: selection)
    default: break
    }
    return []
  }

  /// Predict mode: a prediction key runs the step and scores it; Esc goes back without
  /// running it.
  mutating func predictKey(_ key: Key) -> [Effect] {
    if key == .escape {
      mode = .normal
      return []
    }
    if key == .pageUp || key == .pageDown {
      scrollNarration(by: key == .pageDown ? 5 : -5)
      return []
    }
    guard let prediction = Prediction.forKey(key) else { return [] }
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
