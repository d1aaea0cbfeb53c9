import Engine
import Script

extension AppState {
  /// Runs one line of the script language through the session. With `vcpu`, the line acts on
  /// that vCPU (a `vcpu N` line is run first when the session has another selected). On
  /// success the session, transcript and log move on together (undoably) and the lines added to
  /// the transcript are returned; on error nothing changes.
  mutating func runLine(_ text: String, on vcpu: Int?) throws(ScriptError) -> [String] {
    var trial = session
    var lines: [String] = []
    var records: [StepRecord] = []
    if let vcpu, trial.selectedVCPU != vcpu {
      let select = "vcpu \(vcpu)"
      if let record = try trial.run(line: select, lineNumber: transcript.lines.count + 1) {
        records.append(record)
      }
      lines.append(select)
    }
    if let record = try trial.run(line: text, lineNumber: transcript.lines.count + lines.count + 1) {
      records.append(record)
    }
    lines.append(text)
    pushUndo()
    session = trial
    transcript.append(lines)
    for record in records { logRecord(record) }
    return lines
  }

  /// Logs a statement that ran: an action as a new entry; an `expect` as a line under the
  /// entry of the action it checks.
  mutating func logRecord(_ record: StepRecord) {
    if let expectation = record.expectation, let last = log.indices.last, log[last].outcome != nil {
      log[last].details.append(
        LogEntry.Detail(
          (expectation.holds ? "✓ " : "✗ ") + record.text
            + (expectation.holds ? "" : ": " + expectation.message),
          expectation.holds ? .success : .alarm))
      logScroll = 0
      return
    }
    guard record.action != nil || record.expectation != nil else { return }
    appendLog(LogEntry.forRecord(record, number: log.count + 1))
  }

  /// Applies `action` on the selected vCPU through the script language (its statement is what
  /// the transcript records), logs it and makes it undoable.
  mutating func act(_ action: Action) -> [Effect] {
    do {
      let lines = try runLine(action.statement, on: vcpu)
      return isRecording ? [.record(lines)] : []
    } catch {
      // The script language should read back every statement the engine prints; if it does
      // not, say so rather than act without a record.
      message = StatusMessage(
        "cannot record `\(action.statement)`: \(error.message) (column \(error.column))", isError: true)
      return []
    }
  }
}
