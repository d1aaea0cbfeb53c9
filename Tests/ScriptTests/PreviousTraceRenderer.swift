import Engine

@testable import Script

/// The trace renderers as crpin had them before they wrote into the byte buffer directly
/// (issue 14), kept as the reference the byte renderers are compared with: strings put
/// together piece by piece, `Outcome.changes` (the VM before the action built whole, a `Change`
/// of strings per change), JSON through a `JSONValue` tree, the terminal-safety filter over
/// the whole record's string.
enum PreviousTraceRenderer {
  /// The record in `format`, or `nil` where the format prints nothing for it.
  static func render(_ record: StepRecord, session: Session, format: TraceFormat) -> String? {
    switch format {
    case .text: text(record, session: session)
    case .jsonl: jsonl(record, session: session)
    }
  }

  static func text(_ record: StepRecord, session: Session) -> String {
    var out = String(repeating: " ", count: max(0, 4 - String(record.line).count)) + String(record.line)
    out += "  " + TextTrace.pad(record.text, TextTrace.statementWidth)
    if let result = record.expectation {
      out += result.skipped ? "skipped  " : result.holds ? "holds    " : "FAILED   "
      out += result.skipped ? result.actual : result.holds ? result.expected : result.message
      return TerminalSafe.text(out)
    }
    guard let outcome = record.outcome else {
      out += TextTrace.pad("ok", TextTrace.outcomeWidth) + TextTrace.pad("-", TextTrace.rulesWidth)
      out +=
        record.op == "vcpus"
        ? "fresh VM, \(session.vm.vcpus.count) booted vCPUs" : "vCPU \(record.vcpu) selected"
      return TerminalSafe.text(out)
    }
    out += TextTrace.pad(outcome.kind.display, TextTrace.outcomeWidth)
    let rules = outcome.rules.isEmpty ? "-" : outcome.rules.map(\.id.rawValue).joined(separator: ",")
    out += rules + String(repeating: " ", count: max(1, TextTrace.rulesWidth - rules.utf8.count))
    var parts: [String] = []
    if let value = outcome.value {
      if case .hypercallLockCR? = record.action {
        parts.append("RAX " + StatementText.hypercallResult(value))
      } else {
        parts.append("read " + Hex.short(value))
      }
    }
    let multi = outcome.after.vcpus.count > 1
    for change in outcome.changes {
      let owner = multi && change.vcpu != nil ? "vCPU\(change.vcpu ?? 0) " : ""
      parts.append(owner + "\(change.field) \(change.old) → \(change.new)")
    }
    out += parts.isEmpty ? "no change" : parts.joined(separator: ", ")
    let indent = "\n        "
    if let action = record.action, record.computesValue ?? computesValue(record.text) {
      out += indent + "as: " + StatementText.of(action, under: outcome.mechanismBefore)
    }
    for hit in outcome.rules {
      out += indent + "why: \(hit.message) [\(hit.id.rawValue)]"
    }
    for step in outcome.steps where step.kind != .ok || step.failureIgnored {
      let rules = step.rules.map(\.id.rawValue).joined(separator: ",")
      out +=
        indent + "step: " + StatementText.of(step, in: outcome) + " (" + step.context + ") → "
        + step.kind.display
        + (rules.isEmpty ? "" : " " + rules) + (step.failureIgnored ? ", ignored" : "")
    }
    for layer in outcome.layers {
      out += indent + "layer: " + layer.name + ": " + layer.verdict
    }
    var seen: [String] = []
    for note in outcome.notes where !seen.contains(note) {
      seen.append(note)
      out += indent + "note: " + note
    }
    return TerminalSafe.text(out)
  }

  private static func computesValue(_ text: String) -> Bool {
    guard case .action(let template)? = try? StatementParser.parse(text, lineNumber: 1)?.command else {
      return false
    }
    return template.computesValue
  }

  static func jsonl(_ record: StepRecord, session: Session) -> String? {
    guard !record.isExpectation else { return nil }
    let outcome = record.outcome
    let vm = outcome?.after ?? session.vm
    guard vm.vcpus.indices.contains(record.vcpu) else { return nil }
    let vcpu = vm.vcpus[record.vcpu]
    func hex(_ value: UInt64) -> JSONValue { .string(Hex.short(value)) }
    var members: [(String, JSONValue)] = [
      ("line", .number(record.line)), ("op", .string(record.op)), ("statement", .string(record.text)),
    ]
    if let action = record.action, let outcome {
      members.append(("action", .string(StatementText.of(action, under: outcome.mechanismBefore))))
    }
    let pins = vm.effectivePins(on: record.vcpu)
    members += [
      ("vcpu", .number(record.vcpu)), ("outcome", .string((outcome?.kind ?? .ok).rawValue)),
      ("rules", .array((outcome?.rules ?? []).map { .string($0.id.rawValue) })),
      ("notes", .array((outcome?.notes ?? []).map { .string($0) })),
      ("cr0", hex(vcpu.registers.cr0)), ("cr3", hex(vcpu.registers.cr3)), ("cr4", hex(vcpu.registers.cr4)),
      ("efer", hex(vcpu.registers.efer)), ("smm", .bool(vcpu.inSMM)), ("l2", .bool(vcpu.inL2)),
      ("stopped", .bool(vm.stopped)), ("eflags_ac", .bool(vcpu.eflagsAC)),
      ("kernel", .string(vm.options.kernel.description)), ("kvm", .string(vm.options.kvm.description)),
      (
        "pins",
        .object([
          ("cr0_low", hex(pins.cr0Low)), ("cr0_high", hex(pins.cr0High)), ("cr4_low", hex(pins.cr4Low)),
          ("cr4_high", hex(pins.cr4High)),
        ])
      ),
    ]
    if let value = outcome?.value { members.append(("value", hex(value))) }
    if let forced = outcome?.forced {
      members.append(("forced", .object([("cr0", hex(forced.cr0)), ("cr4", hex(forced.cr4))])))
    }
    if case .kernelWrite? = record.action, let layers = outcome?.layers {
      members.append(
        (
          "layers",
          .array(layers.map { .object([("name", .string($0.name)), ("verdict", .string($0.verdict))]) })
        ))
    }
    let changes: [JSONValue] = (outcome?.changes ?? []).map {
      .object([
        ("vcpu", $0.vcpu.map { .number($0) } ?? .null), ("field", .string($0.field)),
        ("old", .string($0.old)),
        ("new", .string($0.new)),
      ])
    }
    members.append(("changes", .array(changes)))
    if let outcome, !outcome.steps.isEmpty {
      let steps: [JSONValue] = outcome.steps.map { step in
        .object([
          ("statement", .string(StatementText.of(step, in: outcome))), ("context", .string(step.context)),
          ("outcome", .string(step.kind.rawValue)),
          ("rules", .array(step.rules.map { .string($0.id.rawValue) })),
          ("ignored", .bool(step.failureIgnored)),
        ])
      }
      members.append(("steps", .array(steps)))
    }
    return JSONValue.object(members).text
  }
}
