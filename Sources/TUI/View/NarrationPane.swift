import Engine

/// The scenario being played: its title, the narration of the next step and the statements
/// that step will run (or the conclusion once finished). The narration scrolls (the wheel over
/// it; PgUp/PgDn in the presenter layout); the border says when there is more above or below.
enum NarrationPane {
  static func draw(
    _ playback: Playback, quiz: Quiz? = nil, into screen: inout Screen, rect: Rect, scroll: Int = 0,
    interactive: Bool = true
  ) {
    let inner = rect.inner
    let area = Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height)
    let bottomLines = bottom(playback, quiz: quiz, interactive: interactive).flatMap {
      $0.lines(width: area.width)
    }
    let topHeight = max(0, area.height - bottomLines.count)
    let lines = NarrationText.lines(playback, width: area.width)
    let first = min(max(0, scroll), max(0, lines.count - topHeight))
    screen.box(
      rect, title: [Run("Scenario ", .title), Run(playback.scenario.id, .title)],
      trailing: [Run(playback.stepLabel, .dim)],
      footer: NarrationText.moreMarker(
        above: first > 0, below: first + topHeight < lines.count, keys: "wheel"))
    for (offset, line) in lines.dropFirst(first).prefix(topHeight).enumerated() {
      screen.put(runs: line, row: area.row + offset, column: area.column, limit: area.right)
    }
    var row = area.row + topHeight
    for line in bottomLines where row <= area.bottom {
      screen.put(runs: line, row: row, column: area.column, limit: area.right)
      row += 1
    }
  }

  /// What is anchored under the narration: a refusal, then the quiz's verdict, the next
  /// statements and the keys.
  static func bottom(_ playback: Playback, quiz: Quiz?, interactive: Bool) -> [Paragraph] {
    var bottom: [Paragraph] = []
    if let failure = playback.failure {
      bottom.append(Paragraph("refused: " + failure, .alarm, hangingIndent: 2))
    }
    return bottom + PlaybackTrailer.paragraphs(playback, quiz: quiz, interactive: interactive)
  }
}

/// The narration as lines: the scenario's title, then the next step's narration (the
/// conclusion once finished). Shared by both layouts and by `update`, which clamps the scroll.
enum NarrationText {
  static func lines(_ playback: Playback, width: Int) -> [[Run]] {
    let text = playback.nextStep?.narration ?? playback.scenario.conclusion
    return ([Paragraph(playback.scenario.title, .title)] + text.map { Paragraph($0) })
      .flatMap { $0.lines(width: max(1, width)) }
  }

  /// The border text saying there is more to scroll to: `▲ more above · ▼ more below (PgDn)`.
  static func moreMarker(above: Bool, below: Bool, keys: String) -> [Run] {
    guard above || below else { return [] }
    let parts = [above ? "▲ more above" : nil, below ? "▼ more below" : nil].compactMap { $0 }
    return [Run(parts.joined(separator: " · ") + " (\(keys))", .warning)]
  }

  /// The presenter's narration box, `scroll` lines down.
  static func drawBox(_ playback: Playback, scroll: Int, into screen: inout Screen, rect: Rect) {
    guard rect.height >= 2 else { return }
    let inner = rect.inner
    let area = Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height)
    let lines = lines(playback, width: area.width)
    let first = min(max(0, scroll), max(0, lines.count - area.height))
    screen.box(
      rect, title: [Run("Scenario ", .title), Run(playback.scenario.id, .title)],
      trailing: [Run(playback.stepLabel, .title)],
      footer: moreMarker(above: first > 0, below: first + area.height < lines.count, keys: "PgUp PgDn"))
    for (offset, line) in lines.dropFirst(first).prefix(area.height).enumerated() {
      screen.put(runs: line, row: area.row + offset, column: area.column, limit: area.right)
    }
  }

  /// The furthest the narration scrolls at `width` x `height`: lines beyond its window.
  static func scrollLimit(_ state: AppState, width: Int, height: Int) -> Int {
    guard let playback = state.playback else { return 0 }
    let rows: Int
    if state.usesPresenterLayout(width: width, height: height) {
      rows = PresenterLayout(state, width: width, height: height).narration.height - 2
    } else {
      guard let rect = Layout(state, width: width, height: height).narration else { return 0 }
      let bottom = NarrationPane.bottom(playback, quiz: state.quiz, interactive: state.showsKeys).flatMap {
        $0.lines(width: rect.width - 4)
      }
      rows = rect.height - 2 - bottom.count
    }
    return max(0, lines(playback, width: width - 4).count - max(0, rows))
  }
}
