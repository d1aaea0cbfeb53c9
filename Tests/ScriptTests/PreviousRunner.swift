import Engine
@testable import Script

/// The traced runner crpin had before `ScriptStream` (issue 14), kept as the reference the
/// streaming runner is compared with: parse the whole script with `parseScript` (every line
/// through `StatementParser`), then run each statement and render it.
func previousRunScript(
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
