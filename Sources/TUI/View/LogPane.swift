import Engine

/// The event log, newest at the bottom: who acted, the statement, the outcome and its rules,
/// then changes and notes. Scrolls back with PgUp and the wheel.
enum LogPane {
  static func draw(_ state: AppState, into screen: inout Screen, rect: Rect) {
    let inner = rect.inner
    let width = inner.width - 2
    let visible = inner.height
    guard width > 4, visible > 0 else { return }
    // Lay out entries from the newest back until the window (scrolled) is filled.
    let showVCPU = state.vm.vcpus.count > 1
    let statementWidth = width >= 60 ? 24 : 0
    var lines: [[Run]] = []
    var newestHeight = 0
    for entry in state.visibleLog.reversed() {
      let entryLines = paragraphs(entry, showVCPU: showVCPU, statementWidth: statementWidth)
        .flatMap { $0.lines(width: width) }
      if lines.isEmpty { newestHeight = entryLines.count }
      lines.insert(contentsOf: entryLines, at: 0)
      if lines.count >= visible + state.logScroll { break }
    }
    let scroll = min(state.logScroll, max(0, lines.count - visible))
    var end = lines.count - scroll
    var start = max(0, end - visible)
    // A newest entry taller than the pane shows from its headline, not its last note.
    if scroll == 0, newestHeight > visible {
      start = lines.count - newestHeight
      end = start + visible
    }
    let hiddenBelow = scroll > 0 ? "  ↓ \(scroll) newer lines (PgDn)" : ""
    screen.box(rect, title: [Run("Log", .title), Run(hiddenBelow, .warning)])
    if state.visibleLog.isEmpty {
      screen.put(
        clipped: "Actions and outcomes appear here.", row: inner.row, column: inner.column + 1,
        width: width, role: .dim)
      return
    }
    for (offset, line) in lines[start..<end].enumerated() {
      screen.put(runs: line, row: inner.row + offset, column: inner.column + 1, limit: inner.column + width)
    }
  }

  /// One entry as paragraphs: the headline, then indented details.
  static func paragraphs(_ entry: LogEntry, showVCPU: Bool, statementWidth: Int) -> [Paragraph] {
    let number = String(entry.number)
    guard entry.vcpu != nil || entry.actor != "tui" else {
      return [Paragraph([Run(number + " ", .dim), Run("── " + entry.statement, .dim)], hangingIndent: 4)]
    }
    var head: [Run] = [Run(number + " ", .dim)]
    if showVCPU, let vcpu = entry.vcpu { head.append(Run("v\(vcpu) ", .dim)) }
    head.append(Run(entry.actor.padded(to: statementWidth > 0 ? 6 : 0), .title))
    head.append(Run(" " + entry.statement.padded(to: statementWidth)))
    if let outcome = entry.outcome {
      head.append(Run(" "))
      head.append(Run(outcome.display, outcome.isFailure ? .alarm : .success))
    }
    if let holds = entry.holds {
      head.append(Run(" "))
      head.append(Run(holds ? "holds" : "FAILED", holds ? .success : .alarm))
    }
    if let value = entry.value { head.append(Run(" = " + Hex.short(value), .bitSet)) }
    if !entry.rules.isEmpty {
      head.append(Run("  " + entry.rules.map(\.rawValue).joined(separator: " "), .alarm))
    }
    var result = [Paragraph(head, hangingIndent: 4)]
    for detail in entry.details {
      result.append(Paragraph(detail.text, detail.role, indent: 4, hangingIndent: 6))
    }
    return result
  }
}
