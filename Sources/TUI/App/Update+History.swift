import Engine
import Script

extension AppState {
  /// The log as it was at the current point of the history (later entries belong to steps
  /// after it), as far as it is kept.
  public var visibleLog: ArraySlice<LogEntry> {
    log.prefix(min(max(history.current.logCount - droppedLogEntries, 0), log.count))
  }

  /// How many entries of the log at the current point are no longer kept (they come before
  /// `visibleLog`).
  public var droppedVisibleLogEntries: Int { min(droppedLogEntries, history.current.logCount) }

  /// How many steps the history holds, and which one is current (1-based; 0 is the start).
  public var historyStep: (current: Int, total: Int) { (history.position, history.points.count - 1) }

  private var rewrite: [Effect] { isRecording ? [.rewriteRecord(transcript.lines)] : [] }

  /// Goes back one step.
  mutating func undo() -> [Effect] {
    guard history.position > 0 else {
      message = StatusMessage("nothing to undo")
      return []
    }
    return jump(to: history.position - 1)
  }

  /// Goes forward one step after undo.
  mutating func redo() -> [Effect] {
    guard history.canGoForward else {
      message = StatusMessage("nothing to redo")
      return []
    }
    return jump(to: history.position + 1)
  }

  /// Shows the state of point `index` of the history; the record file is rewritten to that
  /// point's transcript. Later points stay until a new step is taken from here.
  public mutating func jump(to index: Int) -> [Effect] {
    guard history.points.indices.contains(index) else { return [] }
    guard index != history.position else { return [] }
    guard let rebuilt = history.session(at: index) else {
      message = StatusMessage("cannot rebuild step \(index): a statement no longer runs", isError: true)
      return []
    }
    let from = history.position
    history.move(to: index)
    session = rebuilt
    vcpu = min(max(Int(history.current.vcpu), 0), vm.vcpus.count - 1)
    playback = history.playback(at: index)
    changeMarks = nil
    logScroll = 0
    let (step, total) = historyStep
    message = StatusMessage(
      step == total
        ? "at the newest point of the history (\(total))"
        : "history point \(step) of \(total): u back, C-r forward, T timeline; acting here drops the later ones"
    )
    restartRealKVM(because: "history point \(from) → \(step)")
    return rewrite
  }

  /// Before a new step from a past point: the later steps and their log entries go.
  private mutating func dropLaterSteps() {
    guard history.canGoForward else { return }
    let dropped = history.points.count - 1 - history.position
    let kept = history.current.logCount
    log.removeSubrange(min(max(kept - droppedLogEntries, 0), log.count)...)
    droppedLogEntries = min(droppedLogEntries, kept)
    note("continued from step \(history.position): \(dropped) later step\(dropped == 1 ? "" : "s") dropped")
  }

  /// The statement of log entry `index` (counting dropped ones), if it is kept.
  private func loggedStatement(_ index: Int) -> String? {
    let kept = index - droppedLogEntries
    return log.indices.contains(kept) ? log[kept].statement : nil
  }

  /// Makes `pending` the current state: the session, transcript and log move on together and
  /// the history gains a point. With `summary`, the log gets that one entry instead of one
  /// per statement.
  mutating func commit(_ pending: PendingStep, loggedAs summary: LogEntry? = nil) {
    guard !pending.lines.isEmpty else { return }
    let firstEntry = history.current.logCount
    dropLaterSteps()
    session = pending.session
    vcpu = min(max(session.selectedVCPU, 0), vm.vcpus.count - 1)
    // The entry each record was logged under, for the real vCPU's verdicts.
    var entries: [Int?] = []
    if var summary {
      summary.number = loggedCount + 1
      appendLog(summary)
      entries = pending.records.map { _ in loggedCount }
    } else {
      for record in pending.records {
        let before = loggedCount
        logRecord(record)
        entries.append(record.action != nil && loggedCount > before ? loggedCount : nil)
      }
    }
    history.append(
      added: pending.lines, session: session, vcpu: vcpu, logCount: loggedCount, playback: playback,
      outcome: pending.records.last { $0.outcome != nil }?.outcome?.kind,
      note: loggedCount > firstEntry ? loggedStatement(firstEntry) : nil)
    changeMarks = ChangeMarks(before: pending.before, records: pending.records)
    followOnRealKVM(pending, entries: entries)
  }

  /// Replaces the whole state with a fresh session (a scenario start): a new point whose
  /// transcript starts afresh; the record file is rewritten to match.
  mutating func startFresh(session: Session, playback: Playback?, note text: String) -> [Effect] {
    let firstEntry = history.current.logCount
    dropLaterSteps()
    self.session = session
    vcpu = 0
    self.playback = playback
    note(text)
    history.append(
      added: [], session: session, vcpu: vcpu, logCount: loggedCount, playback: playback,
      note: loggedStatement(firstEntry), freshTranscript: true)
    changeMarks = nil
    restartRealKVM(because: text)
    return rewrite
  }
}

/// Statements run on a copy of the session, not yet part of the state: `commit` makes them so.
struct PendingStep {
  /// The session after the statements.
  var session: Session
  /// The VM before the first of them (for the change markers).
  let before: VirtualMachine
  /// The transcript lines they add.
  var lines: [String] = []
  /// What each did.
  var records: [StepRecord] = []
  /// For each of `lines`, the index of its record in `records` (nil: it made none).
  var recordOfLine: [Int?] = []

  init(from session: Session) {
    self.session = session
    before = session.vm
  }
}
