import Engine

/// The event log, newest at the bottom: who acted, the statement, the outcome and its rules,
/// then changes and notes. Scrolls back with PgUp and the wheel; above the oldest entry kept, a
/// line says how many older ones were dropped.
enum LogPane {
  /// The unscrolled window starts at an entry whose index is a multiple of this.
  static let pageStep = 4

  static func draw(_ state: AppState, into screen: inout Screen, rect: Rect) {
    let inner = rect.inner
    let width = inner.width - 2
    let visible = inner.height
    guard width > 4, visible > 0 else { return }
    // Lay out entries from the newest back until the window (scrolled) is filled.
    let showVCPU = state.vm.vcpus.count > 1
    let statementWidth = width >= 60 ? 24 : 0
    func layout(_ entry: LogEntry) -> [[Run]] {
      paragraphs(entry, showVCPU: showVCPU, statementWidth: statementWidth).flatMap { $0.lines(width: width) }
    }
    let log = state.visibleLog
    let marker = droppedMarker(state.droppedVisibleLogEntries, width: width)
    var lines: [[Run]] = []
    var start = 0
    var end = 0
    let scroll: Int
    if state.logScroll == 0 {
      // Unscrolled, the newest entries show top-aligned from an entry whose index is a multiple
      // of `pageStep`: a new entry is drawn below the others without moving them, and the
      // window jumps only every few entries — the terminal gets the new lines, not a shifted
      // pane, for most actions.
      var earliest = log.endIndex
      var height = 0
      for index in log.indices.reversed() {
        let count = layout(log[index]).count
        if height + count > visible, index != log.indices.last { break }
        height += count
        earliest = index
      }
      // Entries are numbered from the first one logged, kept or not: the window steps with the
      // numbers, so dropping old entries does not move it.
      let base = state.droppedLogEntries
      let newest = max(log.startIndex, log.endIndex - 1)
      let aligned = (base + earliest + Self.pageStep - 1) / Self.pageStep * Self.pageStep - base
      let first = earliest == log.startIndex ? earliest : min(newest, aligned)
      if !log.isEmpty { lines = log[first...].flatMap(layout) }
      if first == log.startIndex, lines.count + marker.count <= visible { lines = marker + lines }
      end = min(lines.count, visible)
      scroll = 0
    } else {
      // Scrolled back: entries from the newest back until the window is filled.
      var index = log.endIndex
      while index > log.startIndex, lines.count < visible + state.logScroll {
        index -= 1
        lines.insert(contentsOf: layout(log[index]), at: 0)
      }
      if index == log.startIndex { lines.insert(contentsOf: marker, at: 0) }
      scroll = min(state.logScroll, max(0, lines.count - visible))
      end = lines.count - scroll
      start = max(0, end - visible)
    }
    let hiddenBelow = scroll > 0 ? "  ↓ \(scroll) newer lines (PgDn)" : ""
    // The footer never changes (no placeholder for the first entry to overwrite): a new entry
    // costs the terminal its own text only.
    screen.box(
      rect, title: [Run("Log", .title), Run(hiddenBelow, .warning)],
      footer: [Run("actions and outcomes · PgUp scrolls back", .dim)])
    for (offset, line) in lines[start..<end].enumerated() {
      screen.put(runs: line, row: inner.row + offset, column: inner.column + 1, limit: inner.column + width)
    }
  }

  /// The line above the oldest entry kept when `dropped` older ones are not (none when 0).
  static func droppedMarker(_ dropped: Int, width: Int) -> [[Run]] {
    guard dropped > 0 else { return [] }
    let entries = dropped == 1 ? "entry" : "entries"
    return Paragraph(
      "── \(dropped) older \(entries) dropped to save memory (T: the timeline lists every step)", .dim,
      hangingIndent: 3
    ).lines(width: width)
  }

  /// One entry as paragraphs: the headline, then indented details.
  static func paragraphs(_ entry: LogEntry, showVCPU: Bool, statementWidth: Int) -> [Paragraph] {
    let number = String(entry.number)
    guard entry.vcpu != nil || entry.actor != "tui" else {
      return [Paragraph([Run(number + " ", .dim), Run("── " + entry.statement, .dim)], hangingIndent: 4)]
    }
    var head: [Run] = [Run(number + " ", .dim)]
    if showVCPU, let vcpu = entry.vcpu { head.append(Run("v\(vcpu) ", .dim)) }
    head.append(Run(entry.actor.padded(to: statementWidth > 0 ? 6 : 0), .dim))
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
    // The rules are not repeated here: each has its own detail line, id first.
    if !entry.rules.isEmpty,
      !entry.details.contains(where: { $0.text.hasPrefix(entry.rules[0].rawValue + ":") })
    {
      head.append(Run("  " + entry.rules.map(\.rawValue).joined(separator: " "), .alarm))
    }
    var result = [Paragraph(head, hangingIndent: 4)]
    for detail in entry.details {
      result.append(Paragraph(detail.text, detail.role, indent: 4, hangingIndent: 6))
    }
    return result
  }
}
