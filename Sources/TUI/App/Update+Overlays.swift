import Engine
import Script

extension AppState {
  /// `c`: replays the transcript under every mechanism and opens the compare pane.
  mutating func openCompare() {
    guard let columns = CompareColumns(transcript: transcript, playback: playback) else {
      message = StatusMessage("the transcript does not parse back: nothing to compare", isError: true)
      return
    }
    comparison = columns
    overlayScroll = 0
    mode = .compare
  }

  /// The compare pane: the cursor still moves (the previews follow); PgUp/PgDn scroll the
  /// scenario's matrix; Esc or `c` close it.
  mutating func compareKey(_ key: Key) -> [Effect] {
    switch key {
    case .escape, .character("c"):
      mode = .normal
      comparison = nil
    case .left, .character("h"): cursor = cursor.moved(by: -1)
    case .right, .character("l"): cursor = cursor.moved(by: 1)
    case .up, .down, .character("j"), .character("k"):
      cursor = cursor.switchedRegister(columnOf: BitColumns.valueColumn(of:))
    case .home: cursor = cursor.atEnd(first: true)
    case .end: cursor = cursor.atEnd(first: false)
    case .pageDown: overlayScroll += 5
    case .pageUp: overlayScroll = max(0, overlayScroll - 5)
    default: break
    }
    return []
  }

  /// `D`: the discrepancies overlay, scrolled with the arrows and PgUp/PgDn.
  mutating func discrepanciesKey(_ key: Key) -> [Effect] {
    switch key {
    case .down, .character("j"): overlayScroll += 1
    case .up, .character("k"): overlayScroll = max(0, overlayScroll - 1)
    case .pageDown, .character(" "): overlayScroll += 10
    case .pageUp: overlayScroll = max(0, overlayScroll - 10)
    case .home: overlayScroll = 0
    default: mode = .normal
    }
    return []
  }

  /// `T`: the timeline; ↑↓ choose a step, Enter shows it, Esc closes.
  mutating func timelineKey(_ key: Key) -> [Effect] {
    let last = history.points.count - 1
    switch key {
    case .escape, .character("T"): mode = .normal
    case .up, .character("k"): timelineSelection = max(0, timelineSelection - 1)
    case .down, .character("j"): timelineSelection = min(last, timelineSelection + 1)
    case .pageUp: timelineSelection = max(0, timelineSelection - 10)
    case .pageDown: timelineSelection = min(last, timelineSelection + 10)
    case .home: timelineSelection = 0
    case .end: timelineSelection = last
    case .enter, .character(" "):
      mode = .normal
      return jump(to: timelineSelection)
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
