import Engine

/// What both scenario panes (the usual layout's narration pane, the presenter's step pane) show
/// under the narration and the step: the quiz's verdict, the next step's statements and the keys
/// that act on them. A recording (`AppState.showsKeys` false) is watched, not driven: no keys.
enum PlaybackTrailer {
  /// The paragraphs, in order. `narrationKeys` adds the keys that scroll the narration.
  static func paragraphs(
    _ playback: Playback, quiz: Quiz?, interactive: Bool, narrationKeys: String? = nil
  ) -> [Paragraph] {
    var result: [Paragraph] = []
    if let quiz, let verdict = quiz.last {
      result.append(
        Paragraph(
          [
            Run(
              verdict.isRight ? "✓ right: " : "✗ predicted \(verdict.predicted.label), ",
              verdict.isRight ? .success : .alarm),
            Run("\(verdict.statement) → \(verdict.actual.label)"),
            Run("  score \(quiz.correct)/\(quiz.answered)", .key),
          ], hangingIndent: 2))
    }
    guard let next = playback.nextStep else {
      var runs = [Run("finished", .success)]
      if interactive {
        runs += [Run("  "), Run("p", .key), Run(" back  "), Run("S", .key), Run(" another")]
        if let narrationKeys { runs += [Run("  "), Run(narrationKeys, .key), Run(" narration")] }
      }
      result.append(Paragraph(runs))
      return result
    }
    let remaining = next.lines.dropFirst(playback.linesRun)
    let actions = remaining.filter { !$0.isCheck }
    let checks = remaining.count - actions.count
    var runs: [Run] = [Run("next ▸ ", .key), Run(actions.map(\.text).joined(separator: "; "))]
    if checks > 0 { runs.append(Run("  (+\(checks) check\(checks == 1 ? "" : "s"))", .dim)) }
    result.append(Paragraph(runs, hangingIndent: 7))
    guard interactive else { return result }
    var keys = [
      Run("n", .key), Run(quiz == nil ? " run it  " : " predict it  "), Run("p", .key), Run(" back  "),
      Run("a", .key), Run(playback.autoplay ? " stop autoplay" : " autoplay"),
    ]
    if let narrationKeys { keys += [Run("  "), Run(narrationKeys, .key), Run(" narration")] }
    result.append(Paragraph(keys))
    return result
  }
}
