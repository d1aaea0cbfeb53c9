import Engine

/// One aligned line per statement — line number, statement, outcome, rules, what changed —
/// then indented detail lines: why each rule fired, compound steps that failed or were
/// ignored, and the engine's notes.
enum TextTrace {
  static let statementWidth = 34
  static let outcomeWidth = 9
  static let rulesWidth = 22
  static let indent: StaticString = "        "

  static var header: String {
    pad("line", 6) + pad("statement", statementWidth) + pad("outcome", outcomeWidth)
      + pad("rules", rulesWidth) + "changes"
  }

  static func render(_ record: StepRecord, session: Session) -> String {
    var buffer = TraceBuffer()
    var sentences = RuleSentences()
    render(record, session: session, into: &buffer, sentences: &sentences)
    return buffer.text
  }

  /// The record's lines, without a trailing newline, appended to `out`.
  ///
  /// Statement text, messages and notes can carry a script's escape sequences (issue 19): each
  /// piece that can hold a script's bytes is made terminal-safe as it is appended (rule
  /// sentences once, as they are cached); the rest is crpin's own ASCII (numbers, names).
  static func render(
    _ record: StepRecord, session: Session, into out: inout TraceBuffer, sentences: inout RuleSentences
  ) {
    out.append(decimal: record.line, rightAlignedTo: 4)
    out.append("  ")
    let textStart = out.count
    out.append(record.text, paddedTo: statementWidth)
    out.makeTerminalSafe(from: textStart)
    if let result = record.expectation {
      out.append(result.skipped ? "skipped  " : result.holds ? "holds    " : "FAILED   ")
      let start = out.count
      out.append(result.skipped ? result.actual : result.holds ? result.expected : result.message)
      out.makeTerminalSafe(from: start)
      return
    }
    // Neither `if let` nor `== nil`: both copy the outcome (a retain of each of its references);
    // `renderOutcome` reads its fields in place, through `record.outcome?`.
    guard case .some = record.outcome else {
      out.append("ok       -                     ")
      if record.op == "vcpus" {
        out.append("fresh VM, ")
        out.append(decimal: session.vm.vcpus.count)
        out.append(" booted vCPUs")
      } else {
        out.append("vCPU ")
        out.append(decimal: record.vcpu)
        out.append(" selected")
      }
      return
    }
    renderOutcome(of: record, into: &out, sentences: &sentences)
  }

  /// The rest of a record that ran an action: outcome, rules, what changed, detail lines.
  private static func renderOutcome(
    of record: StepRecord, into out: inout TraceBuffer, sentences: inout RuleSentences
  ) {
    let rules = record.outcome?.rules ?? []
    let mechanism = record.outcome?.mechanismBefore ?? .none
    out.append(display: record.outcome?.kind ?? .ok, paddedTo: outcomeWidth)
    let rulesStart = out.count
    for (index, hit) in rules.enumerated() {
      if index > 0 { out.append(byte: UInt8(ascii: ",")) }
      out.append(hit.id.rawValue)
    }
    if rules.isEmpty { out.append(byte: UInt8(ascii: "-")) }
    out.appendSpaces(max(1, rulesWidth - (out.count - rulesStart)))
    var first = true
    if let value = record.outcome?.value {
      if case .hypercallLockCR? = record.action {
        out.append("RAX ")
        out.append(StatementText.hypercallResult(value))
      } else {
        out.append("read ")
        out.append(hex: value)
      }
      first = false
    }
    let multi = (record.outcome?.after.vcpus.count ?? 0) > 1
    record.outcome?.visitChanges { vcpu, field, old, new in
      if !first { out.append(", ") }
      first = false
      if multi, let vcpu {
        out.append("vCPU")
        out.append(decimal: vcpu)
        out.append(byte: UInt8(ascii: " "))
      }
      if let name = field.staticName { out.append(name) } else { out.append(field.name) }
      out.append(byte: UInt8(ascii: " "))
      out.append(old)
      out.append(" → ")
      out.append(new)
    }
    if first { out.append("no change") }
    if let action = record.action, record.computesValue ?? needsEvaluatedForm(record.text) {
      out.append("\n")
      out.append(indent)
      out.append("as: ")
      StatementText.append(action, under: mechanism, to: &out)
    }
    for hit in rules {
      out.append("\n")
      out.append(indent)
      out.append("why: ")
      out.append(sentences.message(hit))
      out.append(" [")
      out.append(hit.id.rawValue)
      out.append("]")
    }
    for step in record.outcome?.steps ?? [] where step.kind != .ok || step.failureIgnored {
      out.append("\n")
      let start = out.count
      out.append(indent)
      out.append("step: ")
      StatementText.append(step.action, under: mechanism, to: &out)
      out.append(" (")
      out.append(step.context)
      out.append(") → ")
      out.append(step.kind.display)
      for (index, hit) in step.rules.enumerated() {
        out.append(byte: UInt8(ascii: index == 0 ? " " : ","))
        out.append(hit.id.rawValue)
      }
      if step.failureIgnored { out.append(", ignored") }
      out.makeTerminalSafe(from: start)
    }
    for layer in record.outcome?.layers ?? [] {
      out.append("\n")
      let start = out.count
      out.append(indent)
      out.append("layer: ")
      out.append(layer.name)
      out.append(": ")
      out.append(layer.verdict)
      out.makeTerminalSafe(from: start)
    }
    let notes = record.outcome?.notes ?? []
    for (index, note) in notes.enumerated() where !notes[..<index].contains(note) {
      out.append("\n")
      out.append(indent)
      out.append("note: ")
      let start = out.count
      out.append(note)
      out.makeTerminalSafe(from: start)
    }
  }

  /// Whether the statement computes its value (an expression, `set`/`clear`), so the trace
  /// shows the action with the value it evaluated to.
  private static func needsEvaluatedForm(_ text: String) -> Bool {
    guard case .action(let template)? = try? StatementParser.parse(text, lineNumber: 1)?.command else {
      return false
    }
    return template.computesValue
  }

  /// Narration: each paragraph wrapped at 92 columns, with blank lines around and between;
  /// control characters become `?` (`TerminalSafe`).
  static func narration(_ paragraphs: [String]) -> String {
    TerminalSafe.text("\n" + paragraphs.map(wrap).joined(separator: "\n\n") + "\n")
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

/// What a run's trace records reuse: the sentences of the rules a run trips, each built once
/// (and the JSON lines' state blocks, `JSONStateCache`): a trace repeats the same few rule
/// hits many times, and a sentence costs thousands of instructions to word. The last `limit`
/// different hits are kept (compared whole, newest first), so a run's memory stays bounded.
struct RuleSentences {
  static let limit = 16
  private var known: [(hit: RuleHit, message: String)] = []
  private var next = 0
  /// The JSON state blocks the run wrote last (`JSONLinesTrace`).
  var states = JSONStateCache()

  /// `hit.message`, made terminal-safe (`TerminalSafe.text`).
  mutating func message(_ hit: RuleHit) -> String {
    for entry in known where entry.hit == hit { return entry.message }
    let message = TerminalSafe.text(hit.message)
    if known.count < Self.limit {
      known.append((hit, message))
    } else {
      known[next] = (hit, message)
      next = (next + 1) % Self.limit
    }
    return message
  }
}

extension TraceBuffer {
  /// The outcome as trainees read it (`OutcomeKind.display`), then spaces to `width`.
  mutating func append(display kind: OutcomeKind, paddedTo width: Int) {
    let name: StaticString =
      switch kind {
      case .ok: "ok"
      case .gp: "#GP"
      case .ud: "#UD"
      case .exit: "VM exit"
      case .rejected: "rejected"
      case .stopped: "stopped"
      case .dropped: "dropped"
      case .pf: "#PF"
      }
    append(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), paddedTo: width)
  }
}
