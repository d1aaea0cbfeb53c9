import Engine
import Script

/// Predict mode: what will the next step do? The question, every prediction key, the score
/// so far — in a box over the log (the step pane in the presenter layout), so the narration
/// stays readable while the room thinks.
enum PredictOverlay {
  /// The lines of the box at `width`: the question, every prediction key with its label (a key
  /// never parted from its label), Esc.
  static func lines(_ state: AppState, line: PlaybackScenario.Line, width: Int) -> [[Run]] {
    var result = Paragraph(
      [Run("What will this do? ", .title), Run("▸ ", .key), Run(line.text)], hangingIndent: 2
    )
    .lines(width: width)
    var current: [Run] = []
    var length = 0
    for prediction in Prediction.allCases {
      let option = [Run(String(prediction.key), .key), Run(" " + prediction.label)]
      let size = 1 + 1 + prediction.label.columns
      if length > 0, length + 2 + size > width {
        result.append(current)
        current = []
        length = 0
      }
      if length > 0 {
        current.append(Run("  "))
        length += 2
      }
      current += option
      length += size
    }
    result.append(current)
    var escape = [Run("Esc", .key), Run(" back without running it", .dim)]
    if state.usesPresenterLayout(width: state.size.width, height: state.size.height) {
      escape += [Run("  PgUp PgDn", .key), Run(" scroll the narration", .dim)]
    }
    return result + Paragraph(escape).lines(width: width)
  }

  static func draw(_ state: AppState, into screen: inout Screen, over area: Rect) {
    guard let step = state.playback?.nextStep, let line = step.questionLine else { return }
    let score = state.quiz.map { "score \($0.correct)/\($0.answered)" } ?? ""
    let width = screen.width
    let lines = lines(state, line: line, width: width - 4)
    let height = min(max(lines.count + 2, area.height), max(3, area.bottom))
    let rect = Rect(row: area.bottom - height + 1, column: 0, width: width, height: height)
    screen.box(rect, title: [Run("Predict", .title)], footer: [Run(score, .dim)])
    for (offset, runs) in lines.prefix(rect.height - 2).enumerated() {
      screen.put(runs: runs, row: rect.row + 1 + offset, column: 2, limit: rect.right - 1)
    }
  }
}

/// `D`: where the patches' prose and their code disagree — D1–D6 of the June 2020 patch, R1–R2
/// of the February 2020 draft — each as crpin follows the code.
enum DiscrepanciesOverlay {
  static func paragraphs() -> [Paragraph] {
    var result = [
      Paragraph(
        "Where the prose and the code disagree, crpin follows the code and says so in the notes.", .dim),
      .blank,
      Paragraph("kvm-2020, the June 2020 patch (\(Mechanism.kvm2020.source))", .title),
    ]
    for discrepancy in Discrepancy.allCases {
      result.append(
        Paragraph([Run(discrepancy.rawValue + "  ", .key), Run(discrepancy.text)], hangingIndent: 4))
    }
    result += [.blank, Paragraph("kvm-rfc2, the February 2020 draft (RFC v2 2/4)", .title)]
    for (id, text) in Explain.rfc2Discrepancies {
      result.append(Paragraph([Run(id + "  ", .key), Run(text)], hangingIndent: 4))
    }
    return result
  }

  static func draw(scroll: Int, into screen: inout Screen) {
    let rect = Rect(row: 1, column: 0, width: screen.width, height: max(4, screen.height - 2))
    screen.box(
      rect, title: [Run("Discrepancies", .title), Run("  crpin explain discrepancies", .dim)],
      footer: [Run("↑↓ PgUp PgDn scroll  Esc close", .dim)])
    let inner = rect.inner
    let area = Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height)
    let lines = paragraphs().flatMap { $0.lines(width: area.width) }
    let first = min(scroll, max(0, lines.count - area.height))
    for (offset, line) in lines.dropFirst(first).prefix(area.height).enumerated() {
      screen.put(runs: line, row: area.row + offset, column: area.column, limit: area.right)
    }
  }
}

/// `T`: every step of the history, newest at the bottom; the current one marked, the chosen
/// one highlighted; Enter goes there.
enum TimelineOverlay {
  static func draw(_ state: AppState, selection: Int, into screen: inout Screen) {
    let history = state.history
    let rect = Rect(row: 1, column: 0, width: screen.width, height: max(4, screen.height - 2))
    let (step, total) = state.historyStep
    screen.box(
      rect, title: [Run("Timeline", .title), Run("  point \(step) of \(total)", .dim)],
      footer: [
        Run("↑↓ choose  Enter go there  Esc close — acting from a past step drops the later ones", .dim)
      ])
    let inner = rect.inner
    let area = Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height)
    let count = history.points.count
    let first = max(0, min(selection - area.height / 2, count - area.height))
    for (offset, index) in (first..<count).prefix(area.height).enumerated() {
      let selected = index == selection
      let current = index == history.position
      let (label, outcome) = describe(state, index: index)
      var runs: [Run] = [
        Run(current ? "● " : "  ", .key), Run(String(index).padded(to: 5), .dim),
        Run(label.clipped(to: max(8, area.width - 24)).padded(to: max(8, area.width - 24))),
      ]
      if let outcome { runs.append(Run(" " + outcome.display, outcome.isFailure ? .alarm : .success)) }
      if index > history.position { runs.append(Run(" (later)", .dim)) }
      if selected { runs = runs.map { Run($0.text, .cursor) } }
      let row = area.row + offset
      if selected {
        screen.fill(row: row, column: area.column, width: area.width, height: 1, with: Cell(" ", .cursor))
      }
      screen.put(runs: runs, row: row, column: area.column, limit: area.right)
    }
  }

  /// A point's statements (or, for a scenario start, its log note) and the outcome of its
  /// last action, a scenario step's led by its number (`step 3/9 ▸`, the TUI's one numbering).
  /// Both come from the history, so they show for steps the log no longer keeps.
  static func describe(_ state: AppState, index: Int) -> (String, OutcomeKind?) {
    guard index > 0 else { return ("start", nil) }
    let history = state.history
    let statements = history.statements(at: index).filter { !$0.hasPrefix("vcpu ") }
    var label = statements.isEmpty ? (history.note(at: index) ?? "") : statements.joined(separator: "; ")
    if history.isScenarioStep(index), let playback = history.playback(at: index) {
      label = playback.progressLabel + " ▸ " + label
    }
    return (label, history.points[index].outcome)
  }
}
