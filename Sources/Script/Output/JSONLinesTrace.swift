import Engine

/// One JSON object per executed statement (not for comments, blank lines, narration or
/// `expect`).
enum JSONLinesTrace {
  /// The record as one JSON object; `leading` members come first (`crpin compare` adds
  /// `mechanism`).
  static func render(_ record: StepRecord, session: Session, leading: [(String, JSONValue)] = []) -> String? {
    var buffer = TraceBuffer()
    var cache = RuleSentences()
    guard render(record, session: session, leading: leading, into: &buffer, cache: &cache) else { return nil }
    return buffer.text
  }

  /// The record's object appended to `out`, without a newline; false (nothing appended) for
  /// records the format leaves out. `cache` keeps the state blocks written so far in the run.
  static func render(
    _ record: StepRecord, session: Session, leading: [(String, JSONValue)] = [], into out: inout TraceBuffer,
    cache: inout RuleSentences
  ) -> Bool {
    guard !record.isExpectation else { return false }
    // Neither `if let` nor `== nil`: both copy the outcome (a retain of each of its references);
    // a method of the outcome reads it in place.
    if case .some = record.outcome {
      return record.outcome?.renderJSON(of: record, leading: leading, into: &out, cache: &cache) ?? false
    }
    guard session.vm.vcpus.indices.contains(record.vcpu) else { return false }
    appendHead(record, leading: leading, to: &out, cache: &cache)
    out.append(",\"vcpu\":")
    out.append(decimal: record.vcpu)
    out.append(",\"outcome\":\"ok\",\"rules\":[],\"notes\":[]")
    cache.states.append(JSONState(session.vm, vcpu: record.vcpu), to: &out)
    out.append(",\"changes\":[]}")
    return true
  }

  /// The object's opening: `leading`, then `line`, `op` and `statement`.
  fileprivate static func appendHead(
    _ record: StepRecord, leading: [(String, JSONValue)], to out: inout TraceBuffer,
    cache: inout RuleSentences
  ) {
    out.append("{")
    for (key, value) in leading {
      out.appendJSON(string: key)
      out.append(":")
      out.append(value.text)
      out.append(",")
    }
    out.append("\"line\":")
    out.append(decimal: record.line)
    cache.heads.append(op: record.op, statement: record.text, to: &out)
  }

}

extension Outcome {
  /// The JSON object of `record`, which ran this outcome's action (`JSONLinesTrace.render`).
  fileprivate func renderJSON(
    of record: StepRecord, leading: [(String, JSONValue)], into out: inout TraceBuffer,
    cache: inout RuleSentences
  ) -> Bool {
    guard after.vcpus.indices.contains(record.vcpu) else { return false }
    JSONLinesTrace.appendHead(record, leading: leading, to: &out, cache: &cache)
    if let action = record.action {
      out.append(",\"action\":")
      out.appendJSON(action, under: mechanismBefore)
    }
    out.append(",\"vcpu\":")
    out.append(decimal: record.vcpu)
    out.append(",\"outcome\":\"")
    out.append(rawName: kind)
    out.append("\",\"rules\":[")
    for (index, hit) in rules.enumerated() {
      if index > 0 { out.append(byte: UInt8(ascii: ",")) }
      out.appendJSON(rule: hit.id)
    }
    out.append("],\"notes\":[")
    for (index, note) in notes.enumerated() {
      if index > 0 { out.append(byte: UInt8(ascii: ",")) }
      out.appendJSON(string: note)
    }
    out.append("]")
    cache.states.append(JSONState(after, vcpu: record.vcpu), to: &out)
    if let value {
      out.append(",\"value\":")
      out.appendJSON(hex: value)
    }
    if let forced {
      out.append(",\"forced\":{\"cr0\":")
      out.appendJSON(hex: forced.cr0)
      out.append(",\"cr4\":")
      out.appendJSON(hex: forced.cr4)
      out.append("}")
    }
    if case .kernelWrite? = record.action {
      out.append(",\"layers\":[")
      for (index, layer) in layers.enumerated() {
        if index > 0 { out.append(byte: UInt8(ascii: ",")) }
        out.append("{\"name\":")
        out.appendJSON(string: layer.name)
        out.append(",\"verdict\":")
        out.appendJSON(string: layer.verdict)
        out.append("}")
      }
      out.append("]")
    }
    out.append(",\"changes\":[")
    var first = true
    visitChanges { vcpu, field, old, new in
      out.append(first ? "{\"vcpu\":" : ",{\"vcpu\":")
      first = false
      if let vcpu { out.append(decimal: vcpu) } else { out.append("null") }
      out.append(",\"field\":")
      if let name = field.staticName {
        out.append(byte: UInt8(ascii: "\""))
        out.append(name)
        out.append(byte: UInt8(ascii: "\""))
      } else {
        out.appendJSON(string: field.name)
      }
      out.append(",\"old\":")
      out.appendJSON(old)
      out.append(",\"new\":")
      out.appendJSON(new)
      out.append("}")
    }
    out.append("]")
    if !steps.isEmpty {
      out.append(",\"steps\":[")
      for (index, step) in steps.enumerated() {
        if index > 0 { out.append(byte: UInt8(ascii: ",")) }
        out.append("{\"statement\":")
        out.appendJSON(step.action, under: mechanismBefore)
        out.append(",\"context\":")
        out.appendJSON(string: step.context)
        out.append(",\"outcome\":\"")
        out.append(rawName: step.kind)
        out.append("\",\"rules\":[")
        for (index, hit) in step.rules.enumerated() {
          if index > 0 { out.append(byte: UInt8(ascii: ",")) }
          out.appendJSON(rule: hit.id)
        }
        out.append(step.failureIgnored ? "],\"ignored\":true}" : "],\"ignored\":false}")
      }
      out.append("]")
    }
    out.append("}")
    return true
  }
}

/// What a record's state block (`"cr0"` through `"pins"`) shows: vCPU `vcpu`'s registers and
/// modes, whether the VM is stopped, the versions in force and the vCPU's pins.
struct JSONState: Equatable {
  var registers: Registers
  var pins: PinMasks
  var kernel: LinuxVersion
  var kvm: LinuxVersion
  var smm: Bool
  var l2: Bool
  var stopped: Bool
  var eflagsAC: Bool

  @inline(__always)
  init(_ vm: borrowing VirtualMachine, vcpu index: Int) {
    registers = vm.vcpus[index].registers
    pins = vm.effectivePins(on: index)
    let options = vm.options
    kernel = options.kernel
    kvm = options.kvm
    smm = vm.vcpus[index].inSMM
    l2 = vm.vcpus[index].inL2
    stopped = vm.stopped
    eflagsAC = vm.vcpus[index].eflagsAC
  }

  /// The block, from `,"cr0":` to the pins' closing brace.
  func write(to out: inout TraceBuffer) {
    out.append(",\"cr0\":")
    out.appendJSON(hex: registers.cr0)
    out.append(",\"cr3\":")
    out.appendJSON(hex: registers.cr3)
    out.append(",\"cr4\":")
    out.appendJSON(hex: registers.cr4)
    out.append(",\"efer\":")
    out.appendJSON(hex: registers.efer)
    out.append(smm ? ",\"smm\":true" : ",\"smm\":false")
    out.append(l2 ? ",\"l2\":true" : ",\"l2\":false")
    out.append(stopped ? ",\"stopped\":true" : ",\"stopped\":false")
    out.append(eflagsAC ? ",\"eflags_ac\":true" : ",\"eflags_ac\":false")
    // The versions in force after the statement (`option kernel`/`option kvm` change them).
    Self.appendVersion(",\"kernel\":\"", kernel, to: &out)
    Self.appendVersion(",\"kvm\":\"", kvm, to: &out)
    // The members of `PinField`, in its order.
    out.append(",\"pins\":{\"cr0_low\":")
    out.appendJSON(hex: pins.cr0Low)
    out.append(",\"cr0_high\":")
    out.appendJSON(hex: pins.cr0High)
    out.append(",\"cr4_low\":")
    out.appendJSON(hex: pins.cr4Low)
    out.append(",\"cr4_high\":")
    out.appendJSON(hex: pins.cr4High)
    out.append("}")
  }

  /// `key` (the member's opening, up to its string's quote), then `5.8"`.
  private static func appendVersion(_ key: StaticString, _ version: LinuxVersion, to out: inout TraceBuffer) {
    out.append(key)
    out.append(decimal: version.major)
    out.append(byte: UInt8(ascii: "."))
    out.append(decimal: version.minor)
    out.append(byte: UInt8(ascii: "\""))
  }
}

/// The state blocks a run wrote last, with their bytes: a run's records repeat a few states
/// (a toggle flips between two), so most blocks are copied rather than written again. At most
/// `limit` are kept (when a new one finds them all taken, they are dropped and kept again from
/// it), so a run's memory stays bounded.
struct JSONStateCache {
  static let limit = 8
  private var states: [JSONState] = []
  /// Where each state's bytes end in `bytes` (each begins where the previous one ends).
  private var ends: [Int] = []
  private var bytes = TraceBuffer()
  /// The slot found last.
  private var lastFound = 0

  /// `state`'s block appended to `out`: copied when known, else written (and kept).
  mutating func append(_ state: JSONState, to out: inout TraceBuffer) {
    // The block written last first: consecutive records mostly show the same state.
    let found =
      lastFound < states.count && states[lastFound] == state ? lastFound : states.firstIndex(of: state)
    if let index = found {
      lastFound = index
      let start = index == 0 ? 0 : ends[index - 1]
      let end = ends[index]
      bytes.withBytes { out.append(UnsafeBufferPointer(rebasing: $0[start..<end])) }
      return
    }
    let start = out.count
    state.write(to: &out)
    if states.count == Self.limit {
      // Start again from the first slot: the blocks are kept in one buffer, in slot order.
      states.removeAll(keepingCapacity: true)
      ends.removeAll(keepingCapacity: true)
      bytes.removeAll()
    }
    out.withBytes { bytes.append(UnsafeBufferPointer(rebasing: $0[start...])) }
    states.append(state)
    ends.append(bytes.count)
  }
}

extension TraceBuffer {
  /// `string` as a JSON string (RFC 8259), as `JSONValue.writeString` writes it.
  mutating func appendJSON(string: String) {
    var string = string
    string.withUTF8 { appendJSON(bytes: $0) }
  }

  /// UTF-8 `text` as a JSON string: quotes, backslashes and control characters escaped (runs
  /// that need no escape are copied whole; text with none, the usual case, is checked eight
  /// bytes at a time and copied at once).
  mutating func appendJSON(bytes text: UnsafeBufferPointer<UInt8>) {
    if Self.isPlainJSON(text), let source = text.baseAddress {
      let at = room(text.count + 2)
      at.pointee = UInt8(ascii: "\"")
      (at + 1).update(from: source, count: text.count)
      at[text.count + 1] = UInt8(ascii: "\"")
      commit(text.count + 2)
      return
    }
    append(byte: UInt8(ascii: "\""))
    appendEscaped(text)
    append(byte: UInt8(ascii: "\""))
  }

  /// `text` escaped: the bytes between escapes copied in runs, eight at a time skipped while
  /// none of them needs a look (`isPlainJSON(word:)`).
  private mutating func appendEscaped(_ text: UnsafeBufferPointer<UInt8>) {
    guard let base = text.baseAddress else { return }
    var run = 0
    var index = 0
    while index < text.count {
      if index + 8 <= text.count,
        Self.isPlainJSON(word: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
      {
        index += 8
        continue
      }
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
  }

  /// Whether `byte` is escaped on its own in a JSON string: a C0 control, DEL, a quote or a
  /// backslash.
  private static func needsEscape(_ byte: UInt8) -> Bool {
    byte < 0x20 || byte == 0x7f || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
  }

  /// Whether `text` goes into a JSON string as it is: no byte `needsEscape`, and no 0xC2 (the
  /// first byte of a C1 control; other characters it starts are copied by the slow path too).
  static func isPlainJSON(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = text.baseAddress else { return true }
    guard text.count >= 8 else { return !text.contains { needsEscape($0) || $0 == 0xC2 } }
    var index = 0
    while true {
      // The last word overlaps the one before when the length is not a multiple of eight.
      let word = UnsafeRawPointer(base + min(index, text.count - 8)).loadUnaligned(as: UInt64.self)
      if !isPlainJSON(word: word) { return false }
      index += 8
      if index >= text.count { return true }
    }
  }

  /// Whether none of the eight bytes of `word` `needsEscape` or is 0xC2.
  @inline(__always)
  static func isPlainJSON(word: UInt64) -> Bool {
    SWAR.someBelow(word, 0x20) | SWAR.someEqual(word, 0x7F) | SWAR.someEqual(word, UInt8(ascii: "\""))
      | SWAR.someEqual(word, UInt8(ascii: "\\")) | SWAR.someEqual(word, 0xC2) == 0
  }

  /// A rule's identifier as a JSON string, copied without a check: identifiers are letters,
  /// digits, dots and dashes (`TraceBufferTests` holds each to what `appendJSON(string:)` writes).
  mutating func appendJSON(rule: RuleID) {
    append(byte: UInt8(ascii: "\""))
    append(rule.rawValue)
    append(byte: UInt8(ascii: "\""))
  }

  /// `action` written as its statement under `mechanism`, as a JSON string: written in place,
  /// and in the unexpected case that it needs escaping, written again escaped. A MOV is a
  /// register's name and a number, never escaped, so it is not checked.
  mutating func appendJSON(_ action: Action, under mechanism: Mechanism) {
    append(byte: UInt8(ascii: "\""))
    let start = count
    StatementText.append(action, under: mechanism, to: &self)
    if case .mov = action {
      append(byte: UInt8(ascii: "\""))
      return
    }
    let plain = withBytes { Self.isPlainJSON(UnsafeBufferPointer(rebasing: $0[start...])) }
    if plain {
      append(byte: UInt8(ascii: "\""))
    } else {
      truncate(to: start - 1)
      appendJSON(string: StatementText.of(action, under: mechanism))
    }
  }

  /// A change's value as a JSON string.
  mutating func appendJSON(_ value: ChangeValue) {
    switch value {
    case .hex(let number): appendJSON(hex: number)
    case .decimal(let number):
      append(byte: UInt8(ascii: "\""))
      append(decimal: number)
      append(byte: UInt8(ascii: "\""))
    case .word(let word):
      appendJSON(bytes: UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    case .text(let text): appendJSON(string: text)
    }
  }

  /// A change's value as text.
  mutating func append(_ value: ChangeValue) {
    switch value {
    case .hex(let number): append(hex: number)
    case .decimal(let number): append(decimal: number)
    case .word(let word): append(word)
    case .text(let text): append(text)
    }
  }

  /// The outcome's name in JSON (`ok`, `gp`, ...): its raw value, from literals
  /// (`TraceLiteralTests` holds them equal).
  mutating func append(rawName kind: OutcomeKind) {
    switch kind {
    case .ok: append("ok")
    case .gp: append("gp")
    case .ud: append("ud")
    case .exit: append("exit")
    case .rejected: append("rejected")
    case .stopped: append("stopped")
    case .dropped: append("dropped")
    case .pf: append("pf")
    }
  }

  /// `"0x…"`.
  mutating func appendJSON(hex value: UInt64) {
    append(byte: UInt8(ascii: "\""))
    append(hex: value)
    append(byte: UInt8(ascii: "\""))
  }
}

/// The `op` and `statement` members of the records a run wrote, kept by statement: a run
/// repeats a few lines many times, and a JSON string costs a check and a copy of each part.
/// One entry a slot, the slot chosen from the statement's length and first and last bytes; a
/// statement whose slot holds another one is written, and replaces it. So memory stays bounded.
struct JSONHeadCache {
  static let slots = 64
  /// Statements longer than this are written each time.
  static let longest = 96
  /// Each slot's op and statement (empty strings: nothing kept yet; an empty statement is
  /// never looked up, it is blank) and their members' bytes: three arrays read in place, where
  /// one array of tuples copied a whole entry (three references) at each look.
  private var ops: [String] = []
  private var statements: [String] = []
  private var members: [[UInt8]] = []

  /// `,"op":…,"statement":…` appended to `out`.
  mutating func append(op: String, statement: String, to out: inout TraceBuffer) {
    let slot = Self.slot(of: statement)
    if let slot, slot < statements.count, statements[slot] == statement, ops[slot] == op {
      members[slot].withUnsafeBufferPointer { out.append($0) }
      return
    }
    let start = out.count
    out.append(",\"op\":")
    out.appendJSON(string: op)
    out.append(",\"statement\":")
    out.appendJSON(string: statement)
    guard let slot else { return }
    if statements.isEmpty {
      ops = Array(repeating: "", count: Self.slots)
      statements = Array(repeating: "", count: Self.slots)
      members = Array(repeating: [], count: Self.slots)
    }
    ops[slot] = op
    statements[slot] = statement
    members[slot] = out.withBytes { Array($0[start...]) }
  }

  /// The slot for `statement`; `nil` when it is too long to keep or empty.
  private static func slot(of statement: String) -> Int? {
    guard !statement.isEmpty else { return nil }
    return statement.utf8.withContiguousStorageIfAvailable { slot(of: $0) } ?? nil
  }

  /// The slot for a statement's UTF-8 bytes; `nil` when it is too long to keep.
  private static func slot(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = bytes.baseAddress, bytes.count <= longest else { return nil }
    var mixed = UInt64(bytes.count)
    if bytes.count >= 8 {
      mixed ^= UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)
      mixed ^= UnsafeRawPointer(base + bytes.count - 8).loadUnaligned(as: UInt64.self).rotated(by: 29)
    } else {
      for byte in bytes { mixed = mixed << 8 | UInt64(byte) }
    }
    mixed = (mixed ^ mixed >> 32) &* 0x9E37_79B9_7F4A_7C15
    return Int(truncatingIfNeeded: mixed >> 58)
  }
}

extension UInt64 {
  /// The bits rotated left by `count` (0–63).
  fileprivate func rotated(by count: UInt64) -> UInt64 { self << count | self >> (64 - count) }
}
