import Engine

/// The presenter layout's step pane: every statement the current scenario step ran with its
/// outcome (failed checks too; `✓ expect` lines are left out), the outcome of its last action
/// large and central, then the next step's statements and the keys.
enum PresenterStep {
  /// How long a step's outcome stays emphasised (reverse video) after it appears.
  static let emphasisMilliseconds = 1_500

  /// The pane's lines at `width`, and which of them are the outcome band.
  struct Content {
    var title: [Run] = []
    var lines: [[Run]] = []
    var band: Range<Int>?
    var bandRole: Role = .normal
    var bandFilled = false
  }

  /// The log entries of the step at the current point of the history: its statements.
  static func entries(_ state: AppState) -> ArraySlice<LogEntry> {
    let history = state.history
    guard history.position > 0 else { return [] }
    let start = history.stepStart(of: history.position)
    let from = history.points[start - 1].logCount - state.droppedLogEntries
    let to = history.current.logCount - state.droppedLogEntries
    let low = min(max(from, 0), state.log.count)
    return state.log[low..<min(max(to, low), state.log.count)]
  }

  /// The outcome band's text: `#GP — pin.cr4.high: CR4.SMEP (bit 20, 0x100000) is pinned
  /// high…`, from the last action's outcome, its first rule (id and sentence), else its first
  /// note, else what it changed.
  static func headline(_ entry: LogEntry) -> String? {
    guard let outcome = entry.outcome else { return nil }
    let rule = entry.rules.first.flatMap { id in entry.details.first { $0.kind == .rule(id) } }
    let note = entry.details.first { $0.role == .warning }
    let change = entry.details.first { $0.role == .normal }
    guard let sentence = rule ?? note ?? change else { return outcome.display }
    return outcome.display + " — " + sentence.text
  }

  /// The pane's content; `roomy` puts a blank row above and below the outcome.
  static func content(_ state: AppState, width: Int, roomy: Bool) -> Content {
    var content = Content()
    guard let playback = state.playback, width > 8 else { return content }
    let history = state.history
    let entries = entries(state).filter { $0.vcpu != nil || $0.actor != .tui }
    if history.isScenarioStep(history.position) {
      content.title = [Run(playback.stepLabel, .title), Run(" ran", .title)]
    } else if !entries.isEmpty {
      content.title = [Run("your action", .title)]
    } else {
      content.title = [Run(playback.stepLabel, .title)]
    }
    var paragraphs: [Paragraph] = []
    for entry in entries {
      var runs = [Run(entry.actor.name.padded(to: 7), .dim), Run(entry.statement)]
      if let outcome = entry.outcome {
        runs += [Run("  "), Run(outcome.display, outcome.isFailure ? .alarm : .success)]
      }
      paragraphs.append(Paragraph(runs, hangingIndent: 7))
      for verdict in entry.real {
        paragraphs.append(Paragraph(LogPane.realRuns(verdict, entry: entry), indent: 7, hangingIndent: 9))
      }
      for detail in entry.details where detail.kind == .check(holds: false) {
        paragraphs.append(Paragraph(detail.text, .alarm, indent: 7, hangingIndent: 9))
      }
    }
    if let failure = playback.failure {
      paragraphs.append(Paragraph("refused: " + failure, .alarm, hangingIndent: 2))
    }
    content.lines = paragraphs.flatMap { $0.lines(width: width) }
    if let last = entries.last(where: { $0.outcome != nil }), let text = headline(last),
      let outcome = last.outcome
    {
      let emphasised = state.outcomeEmphasis != nil
      content.bandRole =
        outcome.isFailure ? (emphasised ? .cursorAlarm : .alarm) : (emphasised ? .cursor : .success)
      content.bandFilled = emphasised
      let wrapped = Paragraph(text).lines(width: width - 2).map { line in
        let length = line.reduce(0) { $0 + $1.text.columns }
        let text = line.map(\.text).joined()
        return [Run(String(repeating: " ", count: max(0, (width - length) / 2)) + text, content.bandRole)]
      }
      let start = content.lines.count
      let pad = roomy ? [[Run]()] : []
      content.lines += pad + wrapped + pad
      content.band = start..<content.lines.count
    }
    content.lines += trailer(state, playback: playback).flatMap { $0.lines(width: width) }
    return content
  }

  /// The quiz's verdict, the next step's statements and the keys.
  private static func trailer(_ state: AppState, playback: Playback) -> [Paragraph] {
    PlaybackTrailer.paragraphs(
      playback, quiz: state.quiz, interactive: state.showsKeys, narrationKeys: "PgUp PgDn")
  }

  static func draw(_ content: Content, into screen: inout Screen, rect: Rect) {
    screen.box(rect, title: content.title)
    let inner = rect.inner
    guard inner.height > 0 else { return }
    // When the pane cannot hold everything, the newest lines (the outcome, next, keys) stay;
    // when it has rows to spare, they go half above and half below the outcome.
    var lines = Array(content.lines.suffix(inner.height))
    var skipped = content.lines.count - lines.count
    var band = content.band
    let spare = inner.height - lines.count
    if spare > 0, let outcome = content.band {
      let above = spare / 2
      lines.insert(contentsOf: Array(repeating: [], count: above), at: outcome.lowerBound)
      lines.insert(contentsOf: Array(repeating: [], count: spare - above), at: outcome.upperBound + above)
      // The emphasis covers the outcome and a row either side, not every spare row.
      band = max(outcome.lowerBound, outcome.lowerBound + above - 1)..<(outcome.upperBound + above + 1)
      skipped = 0
    }
    for (offset, line) in lines.enumerated() {
      let row = inner.row + offset
      if content.bandFilled, band?.contains(offset + skipped) == true {
        screen.fill(
          row: row, column: inner.column, width: inner.width, height: 1, with: Cell(" ", content.bandRole))
      }
      screen.put(runs: line, row: row, column: inner.column + 1, limit: inner.right - 1)
    }
  }
}
