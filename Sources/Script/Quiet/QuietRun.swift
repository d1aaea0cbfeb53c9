import Engine

/// Runs `source` on `session` without producing any output: the report is the one
/// `runScript(_:format:session:emit:)` returns for the same script — failures, error, checked
/// count, and the session with its VM, selected vCPU and last action's record. As there, a
/// parse error anywhere means nothing ran (the report holds `session` as given).
///
/// For replays, checks and benchmarks. The everyday statements (`mov`, `set`, `clear`,
/// `wrmsr`, `rdmsr`, `host wrmsr`, `host rdmsr`, `expect OUTCOME`) are read from the bytes into
/// a form that runs without allocating, and their actions run through `VirtualMachine.step`
/// unless a statement after them needs the full `Outcome`. Having no output to interleave, it
/// runs each statement as soon as it is read and keeps reading to the end for parse errors.
public func runScript(_ source: String, session: Session = Session()) -> ScriptReport {
  var source = source
  return source.withUTF8 { bytes in
    var reader = ScriptReader(bytes, initialVCPUs: session.vm.vcpus.count)
    var run = QuietRun(bytes: bytes, session: session)
    do throws(ScriptError) {
      while let statement = try reader.next() {
        switch statement {
        case .fast(let fast): run.take(fast)
        case .general(let parsed): run.take(parsed)
        }
      }
    } catch {
      var report = ScriptReport(session: session)
      report.error = error
      return report
    }
    run.finish()
    return run.report
  }
}

/// The state of a `runScript(_:session:)` run.
private struct QuietRun {
  /// The script.
  let bytes: UnsafeBufferPointer<UInt8>
  var session: Session
  var failures: [ExpectationFailure] = []
  var expectationsChecked = 0
  /// The error that stopped the run; later statements are only read.
  var error: ScriptError?
  /// The kind of the last action's outcome (`step` leaves `session.lastAction` as it was).
  var lastKind: OutcomeKind?
  /// The last fast action, not run yet: whether it runs in full depends on what follows.
  var pending: FastStatement?
  /// The fast `expect` lines after `pending`.
  var expects: [FastStatement] = []

  init(bytes: UnsafeBufferPointer<UInt8>, session: Session) {
    self.bytes = bytes
    self.session = session
    lastKind = session.lastAction?.outcome?.kind
  }

  var report: ScriptReport {
    var report = ScriptReport(session: session)
    report.failures = failures
    report.expectationsChecked = expectationsChecked
    report.error = error
    return report
  }

  /// Runs `statement`, or holds it until the next action shows how it must run.
  mutating func take(_ statement: FastStatement) {
    guard error == nil else { return }
    if statement.instruction.isAction {
      do throws(ScriptError) { try flush(inFull: false) } catch { self.error = error }
      pending = statement
    } else if pending == nil {
      check(statement)
    } else {
      expects.append(statement)
    }
  }

  /// Runs `statement` after what is held: in full, since `statement` may read the outcome's
  /// details, or stop the run with the record in the session.
  mutating func take(_ statement: ParsedStatement) {
    guard error == nil else { return }
    do throws(ScriptError) {
      try flush(inFull: true)
      try runInFull(statement)
    } catch {
      self.error = error
    }
  }

  /// Runs what is held at the end of the script: the last action in full, so that the session
  /// keeps its record.
  mutating func finish() {
    guard error == nil else { return }
    do throws(ScriptError) { try flush(inFull: true) } catch { self.error = error }
  }

  /// Runs the held action (in full, or with `step`) and the `expect` lines after it.
  private mutating func flush(inFull: Bool) throws(ScriptError) {
    guard let action = pending else { return }
    pending = nil
    if inFull {
      try runInFull(action.parsed(in: bytes))
    } else {
      lastKind = try session.step(action.instruction, line: action.line)
    }
    for expect in expects { check(expect) }
    expects.removeAll(keepingCapacity: true)
  }

  /// A fast `expect`: the previous outcome's kind.
  private mutating func check(_ statement: FastStatement) {
    guard case .expectOutcome(let kind) = statement.instruction else { return }
    session.countStatement()
    expectationsChecked += 1
    guard lastKind != kind else { return }
    let result = ExpectationResult(
      holds: false, expected: kind.display, actual: lastKind?.display ?? "no statement ran before this expect"
    )
    let text = (try? statement.parsed(in: bytes))?.text ?? ""
    failures.append(ExpectationFailure(line: statement.line, text: text, result: result))
  }

  /// Runs `statement` as `runScript` with output does.
  private mutating func runInFull(_ statement: ParsedStatement) throws(ScriptError) {
    guard let record = try session.run(statement) else { return }
    if record.action != nil { lastKind = record.outcome?.kind }
    guard let result = record.expectation, !result.skipped else { return }
    expectationsChecked += 1
    if !result.holds {
      failures.append(ExpectationFailure(line: record.line, text: record.text, result: result))
    }
  }
}

extension Session {
  /// Runs a fast action with `VirtualMachine.step`: the same checks and change of state as
  /// `run`, but no record (and `lastAction` is left as it was).
  mutating func step(_ instruction: FastInstruction, line: Int) throws(ScriptError) -> OutcomeKind {
    let vcpu = selectedVCPU
    guard vm.vcpus.indices.contains(vcpu), let action = instruction.action(in: vm, on: vcpu) else {
      throw ScriptError(line: line, column: 1, message: Self.noSuchVCPUMessage(vcpu, count: vm.vcpus.count))
    }
    statementsRun += 1
    return vm.step(action, on: vcpu)
  }

  /// Counts a statement that ran outside `run` (a fast `expect`).
  mutating func countStatement() { statementsRun += 1 }
}
