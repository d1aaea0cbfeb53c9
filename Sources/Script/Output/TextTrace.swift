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
    out.appendSafe(record.text, paddedTo: statementWidth)
    if let result = record.expectation {
      out.append(result.skipped ? "skipped  " : result.holds ? "holds    " : "FAILED   ")
      let start = out.count
      out.append(result.skipped ? result.actual : result.holds ? result.expected : result.message)
      out.makeTerminalSafe(from: start)
      return
    }
    // Neither `if let` nor `== nil`: both copy the outcome (a retain of each of its references);
    // a method of the outcome reads it in place.
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
    record.outcome?.renderText(of: record, into: &out, sentences: &sentences)
  }

  /// Whether the statement computes its value (an expression, `set`/`clear`), so the trace
  /// shows the action with the value it evaluated to.
  fileprivate static func needsEvaluatedForm(_ text: String) -> Bool {
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

extension Outcome {
  /// The rest of a record that ran an action: outcome, rules, what changed, detail lines.
  fileprivate func renderText(
    of record: StepRecord, into out: inout TraceBuffer, sentences: inout RuleSentences
  ) {
    let mechanism = mechanismBefore
    out.appendPadded(display: kind)
    let rulesStart = out.count
    for (index, hit) in rules.enumerated() {
      if index > 0 { out.append(byte: UInt8(ascii: ",")) }
      out.append(hit.id.rawValue)
    }
    if rules.isEmpty { out.append(byte: UInt8(ascii: "-")) }
    out.appendSpaces(max(1, TextTrace.rulesWidth - (out.count - rulesStart)))
    var first = true
    if let value {
      if case .hypercallLockCR? = record.action {
        out.append("RAX ")
        out.append(StatementText.hypercallResult(value))
      } else {
        out.append("read ")
        out.append(hex: value)
      }
      first = false
    }
    let multi = after.vcpus.count > 1
    visitChanges { vcpu, field, old, new in
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
    if let action = record.action, record.computesValue ?? TextTrace.needsEvaluatedForm(record.text) {
      out.append("\n")
      out.append(TextTrace.indent)
      out.append("as: ")
      StatementText.append(action, under: mechanism, to: &out)
    }
    for hit in rules { sentences.appendWhy(hit, to: &out) }
    for step in steps where step.kind != .ok || step.failureIgnored {
      out.append("\n")
      let start = out.count
      out.append(TextTrace.indent)
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
    for layer in layers {
      out.append("\n")
      let start = out.count
      out.append(TextTrace.indent)
      out.append("layer: ")
      out.append(layer.name)
      out.append(": ")
      out.append(layer.verdict)
      out.makeTerminalSafe(from: start)
    }
    for (index, note) in notes.enumerated() where !notes[..<index].contains(note) {
      out.append("\n")
      out.append(TextTrace.indent)
      out.append("note: ")
      let start = out.count
      out.append(note)
      out.makeTerminalSafe(from: start)
    }
  }

}

/// What a run's trace records reuse: the `why:` line of each rule hit the run trips, built
/// once (a trace repeats the same few hits many times, and a sentence costs thousands of
/// instructions to word), and the JSON lines' state blocks and statements (`JSONStateCache`,
/// `JSONHeadCache`). At most `limit` different hits are kept (compared whole; when a new one
/// finds them all taken, they are dropped and kept again from it), so a run's memory stays
/// bounded.
struct RuleSentences {
  static let limit = 16
  /// The hits known, in the order of their lines in `lines`.
  private var known: [RuleHit] = []
  /// Where each known hit's line ends in `lines` (each begins where the previous one ends).
  private var ends: [Int] = []
  /// The `why:` lines of the known hits, one after the other.
  private var lines = TraceBuffer()
  /// The JSON state blocks the run wrote last (`JSONLinesTrace`).
  var states = JSONStateCache()
  /// The JSON `op` and `statement` members the run wrote (`JSONLinesTrace`).
  var heads = JSONHeadCache()

  /// `hit`'s detail line appended to `out`: a line feed, the indent, `why: `, `hit.message`
  /// made terminal-safe (`TerminalSafe.text`), and the rule's identifier in brackets.
  mutating func appendWhy(_ hit: RuleHit, to out: inout TraceBuffer) {
    if let index = known.firstIndex(of: hit) {
      let start = index == 0 ? 0 : ends[index - 1]
      let end = ends[index]
      lines.withBytes { out.append(UnsafeBufferPointer(rebasing: $0[start..<end])) }
      return
    }
    if known.count == Self.limit {
      // Start again: the lines are kept in one buffer, in the order of `known`.
      known.removeAll(keepingCapacity: true)
      ends.removeAll(keepingCapacity: true)
      lines.removeAll()
    }
    let start = lines.count
    lines.append("\n")
    lines.append(TextTrace.indent)
    lines.append("why: ")
    lines.append(TerminalSafe.text(hit.message))
    lines.append(" [")
    lines.append(hit.id.rawValue)
    lines.append("]")
    known.append(hit)
    ends.append(lines.count)
    lines.withBytes { out.append(UnsafeBufferPointer(rebasing: $0[start...])) }
  }
}

extension TraceBuffer {
  /// The outcome as trainees read it (`OutcomeKind.display`), padded to
  /// `TextTrace.outcomeWidth` (9) columns, from literals (`TraceLiteralTests` holds them equal).
  mutating func appendPadded(display kind: OutcomeKind) {
    switch kind {
    case .ok: append("ok       ")
    case .gp: append("#GP      ")
    case .ud: append("#UD      ")
    case .exit: append("VM exit  ")
    case .rejected: append("rejected ")
    case .stopped: append("stopped  ")
    case .dropped: append("dropped  ")
    case .pf: append("#PF      ")
    }
  }

  /// `text` made terminal-safe (`makeTerminalSafe`), then spaces to `width` characters (one
  /// space when it is `width` or longer), counted in `text` as written: the bytes are looked at
  /// once, for both.
  mutating func appendSafe(_ text: String, paddedTo width: Int) {
    let appended: Void? = text.utf8.withContiguousStorageIfAvailable { appendSafe($0, paddedTo: width) }
    if appended == nil {
      var text = text
      text.withUTF8 { appendSafe($0, paddedTo: width) }
    }
  }

  /// `appendSafe(_:paddedTo:)` of UTF-8 `bytes`; printable ASCII (the everyday statement) is
  /// looked at once, eight bytes at a time.
  private mutating func appendSafe(_ bytes: UnsafeBufferPointer<UInt8>, paddedTo width: Int) {
    let start = count
    append(bytes)
    let characters: Int
    if TerminalSafe.isPrintableASCII(bytes) {
      characters = bytes.count
    } else {
      // Characters, as `String.count` counts them, only when the text is not plain ASCII.
      let ascii = !bytes.contains { $0 >= 0x80 }
      characters = ascii ? bytes.count : String(decoding: bytes, as: UTF8.self).count
      if TerminalSafe.firstControl(in: bytes, from: 0) != nil { makeTerminalSafe(from: start) }
    }
    appendSpaces(characters >= width ? 1 : width - characters)
  }
}
