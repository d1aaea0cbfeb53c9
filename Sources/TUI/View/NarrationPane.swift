import Engine

/// The scenario being played: its title, the narration of the next step and the statements
/// that step will run (or the conclusion once finished).
enum NarrationPane {
  static func draw(_ playback: Playback, quiz: Quiz? = nil, into screen: inout Screen, rect: Rect) {
    let scenario = playback.scenario
    screen.box(
      rect, title: [Run("Scenario ", .title), Run(scenario.id, .title)],
      trailing: [Run("step \(playback.position)/\(scenario.steps.count)", .dim)])
    let inner = rect.inner
    let area = Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height)
    // The statements and keys are anchored at the bottom; the narration fills what is left.
    var bottom: [Paragraph] = []
    var narration: [String]
    if let failure = playback.failure {
      bottom.append(Paragraph("refused: " + failure, .alarm, hangingIndent: 2))
    }
    if let verdict = quiz?.last, let quiz {
      bottom.append(
        Paragraph(
          [
            Run(
              verdict.isRight ? "✓ right: " : "✗ predicted \(verdict.predicted.label), ",
              verdict.isRight ? .success : .alarm),
            Run("\(verdict.statement) → \(verdict.actual.label)"),
            Run("  score \(quiz.correct)/\(quiz.answered)", .key),
          ], hangingIndent: 2))
    }
    if let next = playback.nextStep {
      narration = next.narration
      let remaining = next.lines.dropFirst(playback.linesRun)
      let actions = remaining.filter { !$0.isCheck }
      let checks = remaining.count - actions.count
      var runs: [Run] = [Run("next ▸ ", .key)]
      runs.append(Run(actions.map(\.text).joined(separator: "; ")))
      if checks > 0 { runs.append(Run("  (+\(checks) check\(checks == 1 ? "" : "s"))", .dim)) }
      bottom.append(Paragraph(runs, hangingIndent: 7))
      bottom.append(
        Paragraph([
          Run("n", .key), Run(quiz == nil ? " run it  " : " predict it  "), Run("p", .key), Run(" back  "),
          Run("a", .key),
          Run(playback.autoplay ? " stop autoplay" : " autoplay"),
        ]))
    } else {
      narration = scenario.conclusion
      bottom.append(
        Paragraph([
          Run("finished  ", .success), Run("p", .key), Run(" back  "), Run("S", .key), Run(" another"),
        ]))
    }
    let bottomLines = bottom.flatMap { $0.lines(width: area.width) }
    let topHeight = max(0, area.height - bottomLines.count)
    var top = [Paragraph(scenario.title, .title)]
    top += narration.map { Paragraph($0) }
    var lines = top.flatMap { $0.lines(width: area.width) }
    if lines.count > topHeight, topHeight > 0 {
      lines = Array(lines.prefix(topHeight))
      lines[topHeight - 1] = [Run("… (more than fits: enlarge the window)", .dim)]
    }
    for (offset, line) in lines.prefix(topHeight).enumerated() {
      screen.put(runs: line, row: area.row + offset, column: area.column, limit: area.right)
    }
    var row = area.row + topHeight
    for line in bottomLines where row <= area.bottom {
      screen.put(runs: line, row: row, column: area.column, limit: area.right)
      row += 1
    }
  }
}
