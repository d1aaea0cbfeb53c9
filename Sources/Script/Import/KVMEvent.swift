/// One KVM tracepoint the importer uses, decoded from its body. Formats: the `TP_printk`s of
/// `arch/x86/kvm/trace.h` (5.8 to today) and libtraceevent's `plugins/plugin_kvm.c`, which
/// `trace-cmd report` uses for `kvm_exit`, `kvm_entry` and `kvm_nested_vmexit` (docs/traces.md).
public enum KVMEvent: Sendable, Equatable {
  /// `kvm_exit`: the vCPU (absent in the trace-cmd plugin's format), the exit reason (VMX
  /// upper case `CR_ACCESS`, SVM lower case `write_cr4`) and the guest's rip.
  case exit(vcpu: Int?, reason: String, rip: UInt64?)
  /// `kvm_entry`: the vCPU and, since 5.10, the rip it resumes at.
  case entry(vcpu: Int, rip: UInt64?)
  /// `kvm_cr`: `cr_write 4 = 0x3208b0` — for a write, the value the guest asked for (traced in
  /// `handle_cr` before KVM checks it).
  case controlRegister(write: Bool, cr: Int, value: UInt64)
  /// `kvm_msr`: `msr_write c0000080 = 0xd01`, ` (#GP)` when the access faulted.
  case msr(write: Bool, msr: UInt32, value: UInt64, faulted: Bool)
  /// `kvm_inj_exception`: `#GP (0x0)`, `#UD`, `#NP (0x18) [reinjected]`.
  case exception(name: String)
  /// `kvm_smm_transition` (5.14+) / `kvm_enter_smm`: `vcpu 0: entering SMM, smbase 0x30000`.
  case smm(vcpu: Int, entering: Bool)
  /// `kvm_nested_vmexit`: L2 exited to L0 (handled by L0 or reflected to L1 later).
  case nestedExit(vcpu: Int?, reason: String, rip: UInt64?)
  /// `kvm_nested_vmexit_inject`: the exit is reflected to L1, which runs again.
  case nestedExitToL1(reason: String)
  /// `kvm_nested_vmenter` / `kvm_nested_vmrun`: L1 entered L2.
  case nestedEntry
  /// `kvm_hypercall`: `nr 0xd a0 0x4 a1 0x100000 a2 0x0 a3 0x0`.
  case hypercall(nr: UInt64, arguments: [UInt64])

  /// The vCPU the event names itself, if any.
  var vcpu: Int? {
    switch self {
    case .exit(let vcpu, _, _), .nestedExit(let vcpu, _, _): vcpu
    case .entry(let vcpu, _), .smm(let vcpu, _): vcpu
    default: nil
    }
  }

  /// The tracepoints the importer reads.
  static let names: Set<String> = [
    "kvm_exit", "kvm_entry", "kvm_cr", "kvm_msr", "kvm_inj_exception", "kvm_smm_transition",
    "kvm_enter_smm", "kvm_nested_vmexit", "kvm_nested_vmexit_inject", "kvm_nested_vmenter",
    "kvm_nested_vmrun", "kvm_hypercall",
  ]

  /// Decodes `body` as the tracepoint `name` (one of `names`); the error says what was
  /// expected.
  static func parse(name: String, _ body: TraceBytes) -> Result<KVMEvent, Malformed> {
    var cursor = body
    let event: KVMEvent?
    switch name {
    case "kvm_exit": event = exitLike(&cursor).map { .exit(vcpu: $0.vcpu, reason: $0.reason, rip: $0.rip) }
    case "kvm_nested_vmexit":
      event = exitLike(&cursor).map { .nestedExit(vcpu: $0.vcpu, reason: $0.reason, rip: $0.rip) }
    case "kvm_entry": event = entry(&cursor)
    case "kvm_cr": event = controlRegister(&cursor)
    case "kvm_msr": event = msr(&cursor)
    case "kvm_inj_exception": event = exception(&cursor)
    case "kvm_smm_transition", "kvm_enter_smm": event = smm(&cursor)
    case "kvm_nested_vmexit_inject":
      event = exitLike(&cursor).map { .nestedExitToL1(reason: $0.reason) }
    case "kvm_nested_vmenter", "kvm_nested_vmrun": event = .nestedEntry
    case "kvm_hypercall": event = hypercall(&cursor)
    default: event = nil
    }
    guard let event else { return .failure(Malformed(expected: expectedFormat[name] ?? "a KVM event")) }
    return .success(event)
  }

  /// A KVM event line whose body is not in a known format.
  struct Malformed: Error, Equatable {
    /// The format(s) the importer knows for this tracepoint.
    let expected: String
  }

  private static let expectedFormat: [String: String] = [
    "kvm_exit": "`vcpu N reason R rip 0x… …` or trace-cmd's `reason R rip 0x… info …`",
    "kvm_nested_vmexit": "`vcpu N reason R rip 0x… …` or `rip: 0x… reason: R …`",
    "kvm_nested_vmexit_inject": "`reason: R ext_inf1: …`",
    "kvm_entry": "`vcpu N` or `vcpu N, rip 0x…`",
    "kvm_cr": "`cr_write N = 0xVALUE` or `cr_read N = 0xVALUE`",
    "kvm_msr": "`msr_write INDEX = 0xVALUE` (` (#GP)` when it faulted) or `msr_read …`",
    "kvm_inj_exception": "`#GP (0x0)`, `#UD` or similar",
    "kvm_smm_transition": "`vcpu N: entering SMM, smbase 0x…` or `leaving`",
    "kvm_enter_smm": "`vcpu N: entering SMM, smbase 0x…` or `leaving`",
    "kvm_hypercall": "`nr 0x… a0 0x… a1 0x… a2 0x… a3 0x…`",
  ]

  private struct ExitFields {
    var vcpu: Int?
    var reason: String
    var rip: UInt64?
  }

  /// `vcpu N reason R… rip 0x…`, `reason R rip 0x… …` (plugin), `rip: 0x… reason: R …`
  /// (≤5.9 nested), `rip X reason R …` (plugin nested), `reason: R ext_inf1: …` (inject).
  private static func exitLike(_ cursor: inout TraceBytes) -> ExitFields? {
    var vcpu: Int?
    if cursor.literal("vcpu ") {
      guard let number = cursor.decimal() else { return nil }
      vcpu = number
      _ = cursor.literal(",")
    }
    let start = cursor.index
    guard cursor.skip(past: "reason") else { return nil }
    _ = cursor.literal(":")
    cursor.skipSpaces()
    let reasonRange = cursor.word()
    guard !reasonRange.isEmpty else { return nil }
    var rip: UInt64?
    var ripCursor = TraceBytes(cursor.bytes, from: start, to: cursor.end)
    if ripCursor.skip(past: "rip") {
      _ = ripCursor.literal(":")
      ripCursor.skipSpaces()
      rip = ripCursor.hex()
    }
    return ExitFields(vcpu: vcpu, reason: cursor.string(reasonRange), rip: rip)
  }

  private static func entry(_ cursor: inout TraceBytes) -> KVMEvent? {
    guard cursor.literal("vcpu "), let vcpu = cursor.decimal() else { return nil }
    _ = cursor.literal(",")
    cursor.skipSpaces()
    var rip: UInt64?
    if cursor.literal("rip ") { rip = cursor.hex() }
    return .entry(vcpu: vcpu, rip: rip)
  }

  private static func controlRegister(_ cursor: inout TraceBytes) -> KVMEvent? {
    let write: Bool
    if cursor.literal("cr_write ") {
      write = true
    } else if cursor.literal("cr_read ") {
      write = false
    } else {
      return nil
    }
    guard let cr = cursor.hex(), cr < 16, cursor.literal(" = "), let value = cursor.hex(), cursor.atEnd else {
      return nil
    }
    return .controlRegister(write: write, cr: Int(cr), value: value)
  }

  private static func msr(_ cursor: inout TraceBytes) -> KVMEvent? {
    let write: Bool
    if cursor.literal("msr_write ") {
      write = true
    } else if cursor.literal("msr_read ") {
      write = false
    } else {
      return nil
    }
    guard let index = cursor.hex(), index <= UInt64(UInt32.max), cursor.literal(" = "),
      let value = cursor.hex()
    else { return nil }
    let faulted = cursor.literal(" (#GP)")
    guard cursor.atEnd else { return nil }
    return .msr(write: write, msr: UInt32(index), value: value, faulted: faulted)
  }

  private static func exception(_ cursor: inout TraceBytes) -> KVMEvent? {
    guard cursor.peek == UInt8(ascii: "#") else { return nil }
    let name = cursor.word()
    guard name.count >= 3 else { return nil }
    return .exception(name: cursor.string(name))
  }

  private static func smm(_ cursor: inout TraceBytes) -> KVMEvent? {
    guard cursor.literal("vcpu "), let vcpu = cursor.decimal(), cursor.literal(": ") else { return nil }
    if cursor.literal("entering SMM") { return .smm(vcpu: vcpu, entering: true) }
    if cursor.literal("leaving SMM") { return .smm(vcpu: vcpu, entering: false) }
    return nil
  }

  private static func hypercall(_ cursor: inout TraceBytes) -> KVMEvent? {
    guard cursor.literal("nr "), let nr = cursor.hex() else { return nil }
    var arguments: [UInt64] = []
    for label: StaticString in [" a0 ", " a1 ", " a2 ", " a3 "] {
      guard cursor.literal(label), let value = cursor.hex() else { return nil }
      arguments.append(value)
    }
    return .hypercall(nr: nr, arguments: arguments)
  }
}
