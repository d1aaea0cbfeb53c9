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

  /// `crpin run`'s exit status: 0 all good, 1 an `expect` failed, 2 an error.
  public var exitCode: Int32 { error != nil ? 2 : failures.isEmpty ? 0 : 1 }
}

/// Parses `source` completely, then runs it on `session`, handing each piece of output to
/// `emit` as soon as it exists (no trailing newline). Narration lines are joined into
/// paragraphs and emitted before the statement that follows them.
public func runScript(
  _ source: String, format: TraceFormat, session: Session = Session(), emit: (String) -> Void
) -> ScriptReport {
  var report = ScriptReport(session: session)
  let statements: [ParsedStatement]
  switch parseScript(source, initialVCPUs: session.vm.vcpus.count) {
  case .failure(let error):
    report.error = error
    return report
  case .success(let parsed): statements = parsed
  }
  if let header = format.header { emit(header) }
  var narration: [String] = []
  func flushNarration() {
    guard !narration.isEmpty else { return }
    let paragraphs = narration.split(separator: "", omittingEmptySubsequences: true)
      .map { $0.joined(separator: " ") }
    if !paragraphs.isEmpty, let text = format.renderNarration(paragraphs) { emit(text) }
    narration = []
  }
  for statement in statements {
    if case .narration(let text) = statement.command {
      narration.append(text)
      continue
    }
    flushNarration()
    do throws(ScriptError) {
      guard let record = try report.session.run(statement) else { continue }
      if let text = format.render(record, session: report.session) { emit(text) }
      if let result = record.expectation, !result.skipped {
        report.expectationsChecked += 1
        if !result.holds {
          report.failures.append(ExpectationFailure(line: record.line, text: record.text, result: result))
        }
      }
    } catch {
      report.error = error
      return report
    }
  }
  flushNarration()
  return report
}
