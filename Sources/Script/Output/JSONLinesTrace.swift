import Engine

/// One JSON object per executed statement (not for comments, blank lines, narration or
/// `expect`).
enum JSONLinesTrace {
  /// The record as one JSON object; `leading` members come first (`crpin compare` adds
  /// `mechanism`).
  static func render(_ record: StepRecord, session: Session, leading: [(String, JSONValue)] = []) -> String? {
    var buffer = TraceBuffer()
    guard render(record, session: session, leading: leading, into: &buffer) else { return nil }
    return buffer.text
  }

  /// The record's object appended to `out`, without a newline; false (nothing appended) for
  /// records the format leaves out.
  static func render(
    _ record: StepRecord, session: Session, leading: [(String, JSONValue)] = [], into out: inout TraceBuffer
  ) -> Bool {
    guard !record.isExpectation else { return false }
    let outcome = record.outcome
    let vm = outcome?.after ?? session.vm
    guard vm.vcpus.indices.contains(record.vcpu) else { return false }
    let vcpu = vm.vcpus[record.vcpu]
    out.append("{")
    for (key, value) in leading {
      out.appendJSON(string: key)
      out.append(":")
      out.append(value.text)
      out.append(",")
    }
    out.append("\"line\":")
    out.append(decimal: record.line)
    out.append(",\"op\":")
    out.appendJSON(string: record.op)
    out.append(",\"statement\":")
    out.appendJSON(string: record.text)
    if let action = record.action, let outcome {
      out.append(",\"action\":\"")
      // Written in place; in the unexpected case that it needs escaping, written again escaped.
      let start = out.count
      StatementText.append(action, under: outcome.mechanismBefore, to: &out)
      if out.needsJSONEscape(from: start) {
        out.truncate(to: start - 1)
        out.appendJSON(string: StatementText.of(action, under: outcome.mechanismBefore))
      } else {
        out.append(byte: UInt8(ascii: "\""))
      }
    }
    out.append(",\"vcpu\":")
    out.append(decimal: record.vcpu)
    out.append(",\"outcome\":")
    out.appendJSON(string: outcome?.kind.rawValue ?? OutcomeKind.ok.rawValue)
    out.append(",\"rules\":[")
    for (index, hit) in (outcome?.rules ?? []).enumerated() {
      if index > 0 { out.append(",") }
      out.appendJSON(string: hit.id.rawValue)
    }
    out.append("],\"notes\":[")
    for (index, note) in (outcome?.notes ?? []).enumerated() {
      if index > 0 { out.append(",") }
      out.appendJSON(string: note)
    }
    out.append("],\"cr0\":")
    out.appendJSON(hex: vcpu.registers.cr0)
    out.append(",\"cr3\":")
    out.appendJSON(hex: vcpu.registers.cr3)
    out.append(",\"cr4\":")
    out.appendJSON(hex: vcpu.registers.cr4)
    out.append(",\"efer\":")
    out.appendJSON(hex: vcpu.registers.efer)
    out.append(vcpu.inSMM ? ",\"smm\":true" : ",\"smm\":false")
    out.append(vcpu.inL2 ? ",\"l2\":true" : ",\"l2\":false")
    out.append(vm.stopped ? ",\"stopped\":true" : ",\"stopped\":false")
    out.append(vcpu.eflagsAC ? ",\"eflags_ac\":true" : ",\"eflags_ac\":false")
    // The versions in force after the statement (`option kernel`/`option kvm` change them).
    appendVersion(",\"kernel\":\"", vm.options.kernel, to: &out)
    appendVersion(",\"kvm\":\"", vm.options.kvm, to: &out)
    // The members of `PinField`, in its order.
    let pins = vm.effectivePins(on: record.vcpu)
    out.append(",\"pins\":{\"cr0_low\":")
    out.appendJSON(hex: pins.cr0Low)
    out.append(",\"cr0_high\":")
    out.appendJSON(hex: pins.cr0High)
    out.append(",\"cr4_low\":")
    out.appendJSON(hex: pins.cr4Low)
    out.append(",\"cr4_high\":")
    out.appendJSON(hex: pins.cr4High)
    out.append("}")
    if let value = outcome?.value {
      out.append(",\"value\":")
      out.appendJSON(hex: value)
    }
    if let forced = outcome?.forced {
      out.append(",\"forced\":{\"cr0\":")
      out.appendJSON(hex: forced.cr0)
      out.append(",\"cr4\":")
      out.appendJSON(hex: forced.cr4)
      out.append("}")
    }
    if case .kernelWrite? = record.action, let layers = outcome?.layers {
      let array = JSONValue.array(
        layers.map { .object([("name", .string($0.name)), ("verdict", .string($0.verdict))]) })
      out.append(",\"layers\":")
      out.append(array.text)
    }
    out.append(",\"changes\":[")
    for (index, change) in (outcome?.changes ?? []).enumerated() {
      if index > 0 { out.append(",") }
      out.append("{\"vcpu\":")
      if let number = change.vcpu { out.append(decimal: number) } else { out.append("null") }
      out.append(",\"field\":")
      out.appendJSON(string: change.field)
      out.append(",\"old\":")
      out.appendJSON(string: change.old)
      out.append(",\"new\":")
      out.appendJSON(string: change.new)
      out.append("}")
    }
    out.append("]")
    if let outcome, !outcome.steps.isEmpty {
      out.append(",\"steps\":")
      out.append(JSONValue.array(outcome.steps.map { step($0, in: outcome) }).text)
    }
    out.append("}")
    return true
  }

  /// `key` (the member's opening, up to its string's quote), then `5.8"`.
  @inline(__always)
  private static func appendVersion(_ key: StaticString, _ version: LinuxVersion, to out: inout TraceBuffer) {
    out.append(key)
    out.append(decimal: version.major)
    out.append(".")
    out.append(decimal: version.minor)
    out.append(byte: UInt8(ascii: "\""))
  }

  private static func step(_ step: Step, in outcome: Outcome) -> JSONValue {
    .object([
      ("statement", .string(StatementText.of(step, in: outcome))),
      ("context", .string(step.context)),
      ("outcome", .string(step.kind.rawValue)),
      ("rules", .array(step.rules.map { .string($0.id.rawValue) })),
      ("ignored", .bool(step.failureIgnored)),
    ])
  }
}

extension TraceBuffer {
  /// `string` as a JSON string (RFC 8259), as `JSONValue.writeString` writes it.
  mutating func appendJSON(string: String) {
    let copied: Void? = string.utf8.withContiguousStorageIfAvailable { appendJSON(bytes: $0) }
    if copied == nil { Array(string.utf8).withUnsafeBufferPointer { appendJSON(bytes: $0) } }
  }

  /// UTF-8 `text` as a JSON string: quotes, backslashes and control characters escaped (runs
  /// that need no escape are copied whole).
  mutating func appendJSON(bytes text: UnsafeBufferPointer<UInt8>) {
    append(byte: UInt8(ascii: "\""))
    var run = 0
    var index = 0
    while index < text.count {
      var byte = text[index]
      let c1 = byte == 0xC2 && index + 1 < text.count && (0x80..<0xA0).contains(text[index + 1])
      guard c1 || Self.needsEscape(byte) else {
        index += 1
        continue
      }
      append(UnsafeBufferPointer(rebasing: text[run..<index]))
      if c1 {
        index += 1
        byte = text[index]
      }
      index += 1
      run = index
      switch byte {
      case UInt8(ascii: "\""): append("\\\"")
      case UInt8(ascii: "\\"): append("\\\\")
      case UInt8(ascii: "\n"): append("\\n")
      case UInt8(ascii: "\r"): append("\\r")
      case UInt8(ascii: "\t"): append("\\t")
      case 0x08: append("\\b")
      case 0x0c: append("\\f")
      default:
        append("\\u00")
        let digits: StaticString = "0123456789abcdef"
        append(byte: digits.utf8Start[Int(byte >> 4)])
        append(byte: digits.utf8Start[Int(byte & 0xf)])
      }
    }
    append(UnsafeBufferPointer(rebasing: text[run...]))
    append(byte: UInt8(ascii: "\""))
  }

  /// Whether `byte` is escaped on its own in a JSON string: a C0 control, DEL, a quote or a
  /// backslash.
  private static func needsEscape(_ byte: UInt8) -> Bool {
    byte < 0x20 || byte == 0x7f || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
  }

  /// Whether a byte from `start` on must be escaped in a JSON string (a C1 control's first
  /// byte counts).
  func needsJSONEscape(from start: Int) -> Bool {
    withBytes { bytes in bytes[start...].contains { Self.needsEscape($0) || $0 == 0xC2 } }
  }

  /// `"0x…"`.
  mutating func appendJSON(hex value: UInt64) {
    append(byte: UInt8(ascii: "\""))
    append(hex: value)
    append(byte: UInt8(ascii: "\""))
  }
}
