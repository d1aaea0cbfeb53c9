import Engine

/// One JSON object per executed statement (not for comments, blank lines, narration or
/// `expect`).
enum JSONLinesTrace {
  /// The record as one JSON object; `leading` members come first (`crpin compare` adds
  /// `mechanism`).
  static func render(_ record: StepRecord, session: Session, leading: [(String, JSONValue)] = []) -> String? {
    guard !record.isExpectation else { return nil }
    let vm = record.outcome?.after ?? session.vm
    guard vm.vcpus.indices.contains(record.vcpu) else { return nil }
    let vcpu = vm.vcpus[record.vcpu]
    let outcome = record.outcome
    let pins = vm.effectivePins(on: record.vcpu)
    var members: [(String, JSONValue)] =
      leading + [
        ("line", .number(record.line)),
        ("op", .string(record.op)),
        ("statement", .string(record.text)),
      ]
    if let action = record.action, let before = outcome?.before {
      members.append(("action", .string(StatementText.of(action, under: before.options.mechanism))))
    }
    members += [
      ("vcpu", .number(record.vcpu)),
      ("outcome", .string(outcome?.kind.rawValue ?? OutcomeKind.ok.rawValue)),
      ("rules", .array((outcome?.ruleIDs ?? []).map { .string($0.rawValue) })),
      ("notes", .array((outcome?.notes ?? []).map { .string($0) })),
      ("cr0", hex(vcpu.registers.cr0)),
      ("cr3", hex(vcpu.registers.cr3)),
      ("cr4", hex(vcpu.registers.cr4)),
      ("efer", hex(vcpu.registers.efer)),
      ("smm", .bool(vcpu.inSMM)),
      ("l2", .bool(vcpu.inL2)),
      ("stopped", .bool(vm.stopped)),
      ("eflags_ac", .bool(vcpu.eflagsAC)),
      ("pins", .object(PinField.allCases.map { ($0.rawValue, hex($0.value(in: pins))) })),
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
    members.append(("changes", .array((outcome?.changes ?? []).map(change))))
    if let steps = outcome?.steps, !steps.isEmpty {
      members.append(("steps", .array(steps.map(step))))
    }
    return JSONValue.object(members).text
  }

  private static func hex(_ value: UInt64) -> JSONValue { .string(Hex.short(value)) }

  private static func change(_ change: Change) -> JSONValue {
    .object([
      ("vcpu", change.vcpu.map { .number($0) } ?? .null),
      ("field", .string(change.field)),
      ("old", .string(change.old)),
      ("new", .string(change.new)),
    ])
  }

  private static func step(_ step: Step) -> JSONValue {
    .object([
      ("statement", .string(step.statement)),
      ("context", .string(step.context)),
      ("outcome", .string(step.kind.rawValue)),
      ("rules", .array(step.rules.map { .string($0.id.rawValue) })),
      ("ignored", .bool(step.failureIgnored)),
    ])
  }
}
