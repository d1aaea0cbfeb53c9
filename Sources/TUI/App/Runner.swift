import Engine
import Script

extension AppState {
  /// Runs one line of the script language through the session. With `vcpu`, the line acts on
  /// that vCPU (a `vcpu N` line is run first when the session has another selected). On
  /// success the session, transcript and log move on together (one step of the history) and the
  /// lines added to the transcript are returned; on error nothing changes.
  mutating func runLine(_ text: String, on vcpu: Int?) throws(ScriptError) -> [String] {
    var pending = PendingStep(from: session)
    try run(text, on: vcpu, in: &pending)
    commit(pending)
    return pending.lines
  }

  /// Runs one line on `pending`'s session, adding to it; on error `pending` is unchanged.
  func run(_ text: String, on vcpu: Int?, in pending: inout PendingStep) throws(ScriptError) {
    try run(on: vcpu, in: &pending) { session, number throws(ScriptError) in
      let record = try session.run(line: text, lineNumber: number)
      return (record, Self.transcriptLine(text, record))
    }
  }

  /// Runs `action` (a key's) on `pending`'s session as `run(_:on:in:)` runs the line of its
  /// statement, without writing and parsing that line: the transcript gets the printer's text.
  func run(_ action: Action, on vcpu: Int?, in pending: inout PendingStep) throws(ScriptError) {
    try run(on: vcpu, in: &pending) { session, number throws(ScriptError) in
      let record = try session.run(action, lineNumber: number)
      return (record, record.text)
    }
  }

  /// Selects `vcpu` (with a `vcpu N` line) when another is selected, then runs `body` on the
  /// session with the next line number: its record and its transcript line.
  private func run(
    on vcpu: Int?, in pending: inout PendingStep,
    _ body: (inout Session, Int) throws(ScriptError) -> (StepRecord?, String)
  ) throws(ScriptError) {
    var trial = pending.session
    var lines: [String] = []
    var records: [StepRecord] = []
    var recordOfLine: [Int?] = []
    let base = history.transcriptSize.lines + pending.lines.count
    if let vcpu, trial.selectedVCPU != vcpu {
      let select = "vcpu \(vcpu)"
      let record = try trial.run(line: select, lineNumber: base + 1)
      if let record { records.append(record) }
      recordOfLine.append(record == nil ? nil : pending.records.count + records.count - 1)
      lines.append(select)
    }
    let (record, line) = try body(&trial, base + lines.count + 1)
    if let record { records.append(record) }
    recordOfLine.append(record == nil ? nil : pending.records.count + records.count - 1)
    lines.append(line)
    pending.session = trial
    pending.lines += lines
    pending.records += records
    pending.recordOfLine += recordOfLine
  }

  /// The line the transcript (and `--record`) keeps for `text`: itself, or — for an `expect`
  /// that did not hold (a scenario stepped after the user's own actions, a check typed at the
  /// prompt) — the same line as a comment saying so. The record then replays to the same state
  /// and `crpin run` exits 0 on it; the log shows the failed check.
  static func transcriptLine(_ text: String, _ record: StepRecord?) -> String {
    guard let expectation = record?.expectation, !expectation.holds else { return text }
    let why = expectation.message.split(whereSeparator: \.isNewline).joined(separator: " ")
    return "# \(text)  (did not hold here: \(why))"
  }

  /// Logs a statement that ran: an action as a new entry; an `expect` as a line under the
  /// entry of the action it checks.
  mutating func logRecord(_ record: StepRecord) {
    if let expectation = record.expectation, let last = log.indices.last, log[last].outcome != nil {
      // A check scoped to other mechanisms (`expect[native] …`) did not run: not a ✓.
      let detail =
        expectation.skipped
        ? LogEntry.Detail(
          "– " + record.text + " (skipped: \(expectation.actual))", .dim, kind: .check(holds: nil))
        : LogEntry.Detail(
          (expectation.holds ? "✓ " : "✗ ") + record.text
            + (expectation.holds ? "" : ": " + expectation.message),
          expectation.holds ? .success : .alarm, kind: .check(holds: expectation.holds))
      log[last].details.append(detail)
      logScroll = 0
      return
    }
    guard record.action != nil || record.expectation != nil else { return }
    appendLog(LogEntry.forRecord(record, number: loggedCount + 1))
  }

  /// Applies `action` on the selected vCPU, logs it and makes it a step of the history; the
  /// transcript records its statement as the printer writes it (MSRs named as the mechanism in
  /// force names them), the line `crpin run` reads back to the same action.
  mutating func act(_ action: Action) -> [Effect] {
    var pending = PendingStep(from: session)
    do {
      try run(action, on: vcpu, in: &pending)
    } catch {
      message = StatusMessage(
        "cannot run `\(session.statement(for: action))`: \(error.message)", isError: true)
      return []
    }
    commit(pending)
    return isRecording ? [.record(pending.lines)] : []
  }
}
