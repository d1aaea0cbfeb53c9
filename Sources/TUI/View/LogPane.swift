import Engine

/// The event log, newest at the bottom: who acted, the statement, the outcome and its rules,
/// then changes and notes; a scenario step's entries under a `── step 3/9` line. The newest
/// entry's rules are drawn as alarms when it failed, so the fault stands out. Scrolls back with
/// PgUp and the wheel; above the oldest entry kept, a line says how many older ones were dropped.
enum LogPane {
  static func draw(_ state: AppState, into screen: inout Screen, rect: Rect) {
    let inner = rect.inner
    let width = inner.width - 2
    let visible = inner.height
    guard width > 4, visible > 0 else { return }
    // Lay out entries from the newest back until the window (scrolled) is filled: the newest
    // line at the bottom, no empty rows while older entries are left to show.
    let showVCPU = state.vm.vcpus.count > 1
    let statementWidth = width >= 60 ? 24 : 0
    let log = state.visibleLog
    let newest = log.indices.last
    func layout(_ index: Int) -> [[Run]] {
      paragraphs(log[index], showVCPU: showVCPU, statementWidth: statementWidth, isNewest: index == newest)
        .flatMap { $0.lines(width: width) }
    }
    let marker = droppedMarker(state.droppedVisibleLogEntries, width: width)
    var lines: [[Run]] = []
    var newestHeight = 0
    var index = log.endIndex
    while index > log.startIndex, lines.count < visible + state.logScroll {
      index -= 1
      lines.insert(contentsOf: layout(index), at: 0)
      if index == newest { newestHeight = lines.count }
    }
    if index == log.startIndex { lines.insert(contentsOf: marker, at: 0) }
    let scroll = min(state.logScroll, max(0, lines.count - visible))
    var end = lines.count - scroll
    var start = max(0, end - visible)
    if scroll == 0, newestHeight > visible {
      // The newest entry alone is taller than the pane: its headline (statement, outcome)
      // stays, its last details go.
      start = lines.count - newestHeight
      end = start + visible
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
  static func paragraphs(
    _ entry: LogEntry, showVCPU: Bool, statementWidth: Int, isNewest: Bool = false
  ) -> [Paragraph] {
    let step = entry.scenarioStep.map { [Paragraph("── " + $0, .title)] } ?? []
    return step
      + entryParagraphs(entry, showVCPU: showVCPU, statementWidth: statementWidth, isNewest: isNewest)
  }

  /// `real KVM: #GP ✓`, `real KVM: ok ✗ differs: …` or `real KVM: not run (reason)`; an
  /// entry of several statements (a re-boot under `M`) names each.
  static func realRuns(_ verdict: RealKVMVerdict, entry: LogEntry) -> [Run] {
    let which = entry.real.count > 1 || verdict.statement != entry.statement ? "`\(verdict.statement)` " : ""
    var runs = [Run("real KVM: " + which, .dim)]
    switch verdict.agreement {
    case .agree:
      runs += [Run(verdict.outcome + " "), Run("✓", .success)]
    case .notRun(let reason):
      runs.append(Run("not run (\(reason))", .dim))
    case .differ(let differences, let explanation):
      runs += [
        Run(verdict.outcome + " "), Run("✗ differs: ", .alarm), Run(differences.joined(separator: "; ")),
      ]
      switch explanation {
      case .hostProperty(let id, let summary)?:
        runs += [Run(" — known host property ", .dim), Run(id, .warning), Run(": " + summary, .dim)]
      case .followsEarlierDifference?:
        runs.append(Run(" (follows an earlier difference or a statement only the model ran)", .dim))
      case nil:
        runs.append(Run(" — UNEXPLAINED", .alarm))
      }
    }
    return runs
  }

  private static func entryParagraphs(
    _ entry: LogEntry, showVCPU: Bool, statementWidth: Int, isNewest: Bool
  ) -> [Paragraph] {
    let number = String(entry.number)
    guard entry.vcpu != nil || entry.actor != .tui else {
      return [Paragraph([Run(number + " ", .dim), Run("── " + entry.statement, .dim)], hangingIndent: 4)]
    }
    var head: [Run] = [Run(number + " ", .dim)]
    if showVCPU, let vcpu = entry.vcpu { head.append(Run("v\(vcpu) ", .dim)) }
    head.append(Run(entry.actor.name.padded(to: statementWidth > 0 ? 6 : 0), .dim))
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
      !entry.details.contains(where: { $0.kind == .rule(entry.rules[0]) })
    {
      head.append(Run("  " + entry.rules.map(\.rawValue).joined(separator: " "), .alarm))
    }
    var result = [Paragraph(head, hangingIndent: 4)]
    // The real KVM's verdicts right under the headline, so the newest stays in view.
    for verdict in entry.real {
      result.append(Paragraph(realRuns(verdict, entry: entry), indent: 4, hangingIndent: 6))
    }
    // The newest fault's rule sentences in the alarm style (older ones dim): the #GP moment.
    let loud = isNewest && entry.outcome?.isFailure == true
    for detail in entry.details {
      let ownRule = if case .rule(let id) = detail.kind { entry.rules.contains(id) } else { false }
      let role = loud && ownRule ? Role.alarm : detail.role
      result.append(Paragraph(detail.text, role, indent: 4, hangingIndent: 6))
    }
    return result
  }
}
