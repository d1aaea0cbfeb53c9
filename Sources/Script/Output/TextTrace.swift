import Engine

/// One aligned line per statement — line number, statement, outcome, rules, what changed —
/// then indented detail lines: why each rule fired, compound steps that failed or were
/// ignored, and the engine's notes.
enum TextTrace {
  static let statementWidth = 34
  static let outcomeWidth = 9
  static let rulesWidth = 22
  static let indent = String(repeating: " ", count: 8)

  static var header: String {
    pad("line", 6) + pad("statement", statementWidth) + pad("outcome", outcomeWidth)
      + pad("rules", rulesWidth) + "changes"
  }

  static func render(_ record: StepRecord, session: Session) -> String {
    let number = String(record.line)
    let prefix = String(repeating: " ", count: max(0, 4 - number.count)) + number + "  "
    if let result = record.expectation {
      let verdict = result.skipped ? "skipped  " : result.holds ? "holds    " : "FAILED   "
      return prefix + pad(record.text, statementWidth) + verdict
        + (result.skipped ? result.actual : result.holds ? result.expected : result.message)
    }
    guard let outcome = record.outcome else {
      let what =
        record.op == "vcpus"
        ? "fresh VM, \(session.vm.vcpus.count) booted vCPUs" : "vCPU \(record.vcpu) selected"
      return prefix + pad(record.text, statementWidth) + pad("ok", outcomeWidth) + pad("-", rulesWidth) + what
    }
    let multi = outcome.after.vcpus.count > 1
    var changed = outcome.changes.map { change in
      (multi && change.vcpu != nil ? "vCPU\(change.vcpu ?? 0) " : "") + change.description
    }
    if let value = outcome.value {
      if case .hypercallLockCR? = record.action {
        changed.insert("RAX \(StatementText.hypercallResult(value))", at: 0)
      } else {
        changed.insert("read \(Hex.short(value))", at: 0)
      }
    }
    let rules = outcome.ruleIDs.map(\.rawValue)
    var lines = [
      prefix + pad(record.text, statementWidth) + pad(outcome.kind.display, outcomeWidth)
        + pad(rules.isEmpty ? "-" : rules.joined(separator: ","), rulesWidth)
        + (changed.isEmpty ? "no change" : changed.joined(separator: ", "))
    ]
    if let action = record.action, record.computesValue ?? needsEvaluatedForm(record.text) {
      lines.append(indent + "as: " + StatementText.of(action, under: outcome.before.options.mechanism))
    }
    for hit in outcome.rules {
      lines.append(indent + "why: " + hit.message + " [\(hit.id.rawValue)]")
    }
    for step in outcome.steps where step.kind != .ok || step.failureIgnored {
      let rules = step.rules.map(\.id.rawValue).joined(separator: ",")
      lines.append(
        indent + "step: " + step.statement + " (" + step.context + ") → " + step.kind.display
          + (rules.isEmpty ? "" : " " + rules) + (step.failureIgnored ? ", ignored" : ""))
    }
    for layer in outcome.layers {
      lines.append(indent + "layer: " + layer.name + ": " + layer.verdict)
    }
    var seen: Set<String> = []
    for note in outcome.notes where seen.insert(note).inserted {
      lines.append(indent + "note: " + note)
    }
    return lines.joined(separator: "\n")
  }

  /// Whether the statement computes its value (an expression, `set`/`clear`), so the trace
  /// shows the action with the value it evaluated to.
  private static func needsEvaluatedForm(_ text: String) -> Bool {
    guard case .action(let template)? = try? StatementParser.parse(text, lineNumber: 1)?.command else {
      return false
    }
    return template.computesValue
  }

  /// Narration: each paragraph wrapped at 92 columns, with blank lines around and between.
  static func narration(_ paragraphs: [String]) -> String {
    "\n" + paragraphs.map(wrap).joined(separator: "\n\n") + "\n"
  }

  private static func wrap(_ text: String) -> String {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      if !current.isEmpty, current.count + 1 + word.count > 90 {
        lines.append(current)
        current = ""
      }
      current += (current.isEmpty ? "" : " ") + word
    }
    if !current.isEmpty { lines.append(current) }
    return lines.map { "  " + $0 }.joined(separator: "\n")
  }

  static func pad(_ text: String, _ width: Int) -> String {
    let count = text.count
    return count >= width ? text + " " : text + String(repeating: " ", count: width - count)
  }
}
