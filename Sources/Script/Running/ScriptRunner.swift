import Engine

/// An `expect` line that did not hold.
public struct ExpectationFailure: Equatable, Sendable {
  /// Its 1-based line.
  public let line: Int
  /// The `expect` statement as written.
  public let text: String
  /// What it found.
  public let result: ExpectationResult

  /// `line 12: expect gp: expected #GP, got ok`.
  public var description: String { "line \(line): \(text): \(result.message)" }
}

/// How a whole script run ended.
public struct ScriptReport: Sendable {
  /// Every `expect` that failed, in order (the run goes on after a failure).
  public var failures: [ExpectationFailure] = []
  /// A parse error (nothing ran) or an error while running (the run stopped there).
  public var error: ScriptError?
  /// The session after the run.
  public var session: Session
  /// How many `expect` lines ran.
  public var expectationsChecked = 0

  /// `crpin run`'s exit status: 0 all good; 1 an `expect` failed or an error only running could
  /// find stopped the run (`ScriptError.atRunTime`); 2 any other error (nothing ran).
  public var exitCode: Int32 {
    if let error { return error.atRunTime ? 1 : 2 }
    return failures.isEmpty ? 0 : 1
  }
}

/// Checks `source` completely (`ScriptStream.check`: a parse error means nothing runs), then
/// runs it on `session` through `ScriptDriver`, handing each piece of trace to `emit` as soon
/// as it exists (no trailing newline); with `format` nil, there is no trace.
public func runScript(
  _ source: String, format: TraceFormat?, session: Session = Session(), emit: (String) -> Void
) -> ScriptReport {
  var driver = ScriptDriver(session: session, format: format)
  switch ScriptStream.check(TextInput(source), initialVCPUs: session.vm.vcpus.count, checkingEncoding: false)
  {
  case .script(let error, _)?:
    var report = ScriptReport(session: session)
    report.error = error
    return report
  case .input?, .encoding?, nil: break
  }
  _ = ScriptStream.run(TextInput(source), driver: &driver) { emit($0.text) }
  return driver.report
}

/// `runScript(_:format:session:emit:)` without a trace: the report only (for replays and
/// checks).
public func runScript(_ source: String, session: Session = Session()) -> ScriptReport {
  runScript(source, format: nil, session: session) { _ in }
}
