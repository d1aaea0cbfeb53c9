import Engine

/// Writes a crpin script from a `KVMTrace` (README "Importing KVM traces"). Pure.
///
/// - Each vCPU's events go after a `vcpu N` line. At its first event the vCPU is set, with
///   `host sregs`, to the first CR0/CR3/CR4/EFER values the trace shows for it (a trace starts
///   mid-life: what came before is unknown; the first value the guest wrote or read is the best
///   guess that keeps its own writes consistent). A vCPU the trace shows starting up is `reset`
///   first (INIT: what survives it is the design's business); a trace whose vCPU 0 starts up
///   is a boot, and the VM starts cold instead (`migrate drop-pins`, `reboot`: nothing pinned
///   under any design, every vCPU reset).
/// - At the write that ends a vCPU's start-up (`TracePhase`), the guest pins as the design's
///   kernel does: crpin's `boot` of that vCPU, then `host sregs` back to the trace's values.
/// - `kvm_cr` writes to CR0/CR3/CR4 become guest `mov`s of the value the guest asked for; EFER
///   and the pin MSRs (0x4b564d06–0d) become `wrmsr`/`rdmsr`, other MSRs comments; SMM
///   transitions `smi`/`rsm`; `kvm_nested_vmenter`/`kvm_nested_vmexit_inject` `vmentry`/`vmexit`
///   (other nested exits are comments); `KVM_HC_LOCK_CR_UPDATE` (nr 0xd) `hypercall lock_cr`,
///   other hypercalls comments.
/// - The trace's own outcome becomes `expect[none] …` after the statement: the host it was
///   recorded on had no CR pinning, which is crpin's `none`. A write followed by
///   `kvm_inj_exception: #GP` on the same host thread is `gp`; one followed by `kvm_entry` with no
///   exception between is `ok`; a write whose outcome the trace does not show has no `expect`.
///   An MSR access is `gp` when the trace says ` (#GP)`, else `ok`; a read also checks the
///   value read.
/// - Each statement ends with a comment: the timestamp, the rip of the exit, the trace line.
public enum TraceImporter {
  /// crpin's limit on vCPUs; events of higher vCPUs are kept as comments.
  static let maxVCPUs = 8
  /// How far ahead (in events) to look for a write's outcome.
  static let outcomeWindow = 256

  /// The script for `trace`.
  public static func script(for trace: KVMTrace, options: TraceImportOptions) -> ImportedScript {
    var writer = Writer(trace: trace, options: options)
    writer.write()
    return writer.result()
  }
}

/// `KVM_HC_*` numbers (`include/uapi/linux/kvm_para.h`), for comments.
enum HypercallName {
  static func of(_ nr: UInt64) -> String {
    let names: [UInt64: String] = [
      1: "KVM_HC_VAPIC_POLL_IRQ", 2: "KVM_HC_MMU_OP", 3: "KVM_HC_FEATURES", 4: "KVM_HC_PPC_MAP_MAGIC_PAGE",
      5: "KVM_HC_KICK_CPU", 9: "KVM_HC_CLOCK_PAIRING", 10: "KVM_HC_SEND_IPI", 11: "KVM_HC_SCHED_YIELD",
      12: "KVM_HC_MAP_GPA_RANGE", 13: "KVM_HC_LOCK_CR_UPDATE (Heki)",
    ]
    return names[nr] ?? "hypercall \(Hex.short(nr))"
  }
}

private struct Writer {
  let trace: KVMTrace
  let options: TraceImportOptions
  let phases: TracePhases
  var lines: [String] = []
  var eventOfLine: [Int: Int] = [:]
  var traceOutcome: [Int: String] = [:]
  var consumed = Set<Int>()
  var selected: Int?
  var seen = Set<Int>()
  var inSMM = Set<Int>()
  var inL2 = Set<Int>()
  var exitRip: [Int: UInt64] = [:]
  var replayed = 0
  var beyondLimit = 0
  var notes: [String] = []
  let vcpuCount: Int
  let boot: Bool

  init(trace: KVMTrace, options: TraceImportOptions) {
    self.trace = trace
    self.options = options
    self.phases = TracePhases(trace.events)
    let highest = trace.events.map(\.vcpu).max() ?? 0
    self.vcpuCount = min(TraceImporter.maxVCPUs, highest + 1)
    self.boot = phases.startingUp.contains(0)
    lines.reserveCapacity(trace.events.count + 64)
  }

  mutating func write() {
    header()
    for index in trace.events.indices {
      event(index)
      if let vcpu = phases.completions[index], vcpu < TraceImporter.maxVCPUs { pinAfterStartUp(vcpu, index) }
    }
    footer()
  }

  func result() -> ImportedScript {
    ImportedScript(
      text: lines.joined(separator: "\n") + "\n", eventOfLine: eventOfLine, phases: phases.phases,
      traceOutcome: traceOutcome, notes: notes,
      replayed: replayed)
  }

  // MARK: - Header and footer

  private mutating func header() {
    let vcpus = Set(trace.events.map(\.vcpu)).sorted().map(String.init).joined(separator: ", ")
    lines += [
      "# Imported by `crpin import trace` from \(options.source) (\(trace.dialect.rawValue)):",
      "# \(Plural.count(trace.lineCount, "line")), \(Plural.count(trace.events.count, "KVM event")), "
        + "vCPU\(vcpus.contains(",") ? "s" : "") \(vcpus).",
      "# Starting state: a VM booted under the mechanism in force; each vCPU, at its first event, gets",
      "# the first CR0/CR3/CR4/EFER values the trace shows for it (`host sregs`). A vCPU the trace",
      "# shows starting up is reset first (INIT) and, once up, pins as the design's kernel does.",
      "# The trace's own outcomes are `expect[none]` lines (it was recorded without CR pinning):",
      "# `crpin compare` checks them in the none column.",
      "vcpus \(vcpuCount)",
    ]
    if let mechanism = options.mechanism {
      lines.append(
        "option mechanism \(mechanism.rawValue)  # replay under \(mechanism.rawValue) (--mechanism)")
      for vcpu in 0..<vcpuCount { lines += ["vcpu \(vcpu)", "boot"] }
    }
    if boot {
      lines += [
        "# The trace starts at the guest's boot (vCPU 0 starts up): a VM just created, nothing pinned",
        "# under any design (the pins, Heki's locks and VTL1's intercepts dropped, every vCPU reset).",
        "migrate drop-pins",
        "reboot",
      ]
    }
  }

  private mutating func footer() {
    lines.append("")
    if let summary = trace.unusedSummary { lines.append("# " + summary) }
    for problem in trace.malformed {
      lines.append(
        "# line \(problem.line): a \(problem.event) line not in a known format (\(problem.expected))")
    }
    notes = TraceNotes.notes(for: trace, beyondLimit: beyondLimit)
    for note in notes {
      lines.append(contentsOf: TraceNotes.wrap("note: " + note, width: 100).map { "# " + $0 })
    }
  }

  // MARK: - Events

  private mutating func event(_ index: Int) {
    let traced = trace.events[index]
    let vcpu = traced.vcpu
    if case .exit(_, _, let rip) = traced.event, let rip { exitRip[traced.thread] = rip }
    guard vcpu < TraceImporter.maxVCPUs else {
      if case .exit = traced.event { return }
      if case .entry = traced.event { return }
      beyondLimit += 1
      lines.append(
        "# vCPU \(vcpu) (crpin models at most 8): \(describe(traced.event)) at \(position(traced))")
      return
    }
    switch traced.event {
    case .exit(_, let reason, _):
      if reason == "TRIPLE_FAULT" || reason == "shutdown" {
        select(vcpu)
        lines.append(
          "# vCPU \(vcpu) shut down: \(reason) exit at \(position(traced))")
      }
    case .entry: break
    case .controlRegister(true, let cr, let value) where [0, 3, 4].contains(cr):
      select(vcpu)
      statement("mov cr\(cr), \(Hex.short(value))", index)
      if let (outcome, exception) = writeOutcome(index) {
        if let exception { consumed.insert(exception) }
        expect(outcome, index)
      }
    case .controlRegister(let write, let cr, let value):
      select(vcpu)
      lines.append(
        "# cr_\(write ? "write" : "read") \(cr) = \(Hex.short(value))"
          + (write ? " (CR\(cr) is not modelled)" : "") + " at \(position(traced))")
    case .msr(let write, let msr, let value, let faulted) where Self.modelled(msr):
      select(vcpu)
      statement(
        write ? "wrmsr \(Hex.short(UInt64(msr))), \(Hex.short(value))" : "rdmsr \(Hex.short(UInt64(msr)))",
        index)
      expect(faulted ? "gp" : "ok", index)
      if !write, !faulted { lines.append("expect[none] value == \(Hex.short(value))") }
    case .msr(let write, let msr, let value, let faulted):
      select(vcpu)
      lines.append(
        "# msr_\(write ? "write" : "read") \(String(msr, radix: 16)) = \(Hex.short(value))"
          + "\(faulted ? " (#GP)" : "") (not modelled) at \(position(traced))")
    case .exception(let name):
      guard !consumed.contains(index) else { return }
      select(vcpu)
      lines.append("# \(name) injected at \(position(traced))")
    case .smm(_, let entering):
      select(vcpu)
      if entering, !inSMM.contains(vcpu) {
        inSMM.insert(vcpu)
        statement("smi", index)
      } else if !entering, inSMM.contains(vcpu) {
        inSMM.remove(vcpu)
        statement("rsm", index)
        expect("ok", index)
      } else {
        lines.append(
          "# \(entering ? "entering" : "leaving") SMM (the trace did not show the other side) at \(position(traced))"
        )
      }
    case .nestedEntry:
      select(vcpu)
      if !inL2.contains(vcpu), !inSMM.contains(vcpu) {
        inL2.insert(vcpu)
        statement("vmentry", index)
      } else {
        lines.append("# nested VM-entry to L2 at \(position(traced))")
      }
    case .nestedExitToL1(let reason):
      select(vcpu)
      if inL2.remove(vcpu) != nil {
        statement("vmexit", index, note: "reason \(reason)")
      } else {
        lines.append(
          "# nested VM-exit to L1, reason \(reason) (L2's entry is not in the trace) at \(position(traced))")
      }
    case .nestedExit(_, let reason, let rip):
      select(vcpu)
      lines.append(
        "# L2 exit to L0: reason \(reason) rip \(rip.map(Hex.short) ?? "?") at \(position(traced))")
    case .hypercall(let nr, let arguments) where nr == 13 && arguments.count == 4:
      select(vcpu)
      statement(
        "hypercall lock_cr \(arguments[0]), \(Hex.short(arguments[1])), \(Hex.short(arguments[2]))", index)
    case .hypercall(let nr, let arguments):
      select(vcpu)
      let shown = arguments.prefix(4).map(Hex.short).joined(separator: " ")
      lines.append("# \(HypercallName.of(nr)) (\(shown)) at \(position(traced))")
    }
  }

  /// EFER and the pin MSRs of kvm-2020 (0x4b564d08–0d) and kvm-rfc2 (0x4b564d06–09).
  static func modelled(_ msr: UInt32) -> Bool {
    msr == MSRNumber.efer || (0x4b56_4d06...0x4b56_4d0d).contains(msr)
  }

  /// `1404.389373 rip 0xffffffff8100007a (line 2)`.
  private func position(_ traced: TracedEvent) -> String {
    var text = "\(traced.timestamp)"
    if let rip = exitRip[traced.thread] { text += " rip \(Hex.short(rip))" }
    return text + " (line \(traced.line))"
  }

  private mutating func statement(_ text: String, _ index: Int, note: String? = nil) {
    var line = text + "  # " + position(trace.events[index])
    if let note { line += " " + note }
    lines.append(line)
    eventOfLine[lines.count] = index
    replayed += 1
  }

  private mutating func expect(_ outcome: String, _ index: Int) {
    traceOutcome[index] = outcome
    lines.append("expect[none] \(outcome)")
  }

  /// `vcpu N`, and at a vCPU's first event its starting state.
  private mutating func select(_ vcpu: Int) {
    guard selected != vcpu else { return }
    selected = vcpu
    lines.append("vcpu \(vcpu)")
    guard seen.insert(vcpu).inserted else { return }
    if phases.startingUp.contains(vcpu), !boot {
      lines.append("reset  # vCPU \(vcpu) starts up in the trace (CPU bring-up): INIT first")
    }
    lines.append(
      "host sregs " + firstValues(vcpu).joined(separator: " ") + "  # the first values the trace shows")
  }

  /// The end of `vcpu`'s start-up: the guest pins as the design's kernel does (crpin's `boot` of
  /// the vCPU, which pins under the mechanism in force), then the registers go back to the
  /// trace's values.
  private mutating func pinAfterStartUp(_ vcpu: Int, _ index: Int) {
    let protection = phases.protection
    let named: [(Bool, String)] = [
      (protection.cr0 & CR0.wp != 0, "WP"), (protection.cr4 & CR4.umip != 0, "UMIP"),
      (protection.cr4 & CR4.smep != 0, "SMEP"), (protection.cr4 & CR4.smap != 0, "SMAP"),
    ]
    let bits = named.filter(\.0).map(\.1).joined(separator: " ")
    lines.append("# vCPU \(vcpu) is up (\(bits) on): its kernel pins here, as the design's does")
    lines.append("boot  # crpin's boot of this vCPU, pinning under the mechanism in force")
    let values = lastValues(vcpu, through: index)
    if !values.isEmpty {
      lines.append("host sregs " + values.joined(separator: " ") + "  # back to the trace's values")
    }
  }

  /// `cr0=0x… cr3=0x… cr4=0x… efer=0x…`: each register's last value in the trace for `vcpu`
  /// up to event `index` (a write the trace shows faulting does not count).
  private func lastValues(_ vcpu: Int, through index: Int) -> [String] {
    var found: [String: UInt64] = [:]
    for traced in trace.events[...index] where traced.vcpu == vcpu {
      switch traced.event {
      case .controlRegister(_, let cr, let value) where [0, 3, 4].contains(cr):
        found["cr\(cr)"] = value
      case .msr(_, MSRNumber.efer, let value, false):
        found["efer"] = value
      default: continue
      }
    }
    for (eventIndex, outcome) in traceOutcome where outcome != "ok" && eventIndex <= index {
      if case .controlRegister(true, let cr, _) = trace.events[eventIndex].event,
        trace.events[eventIndex].vcpu == vcpu
      {
        found["cr\(cr)"] = nil
      }
    }
    return ["cr0", "cr3", "cr4", "efer"].compactMap { name in found[name].map { "\(name)=\(Hex.short($0))" } }
  }

  /// `cr0=0x… [cr3=0x…] cr4=0x… efer=0x…`: each register's first value in the trace for
  /// `vcpu` (a write the trace shows faulting does not count). A register the trace never shows
  /// gets crpin's booted Linux 5.8 value when that is consistent with the others — CR0
  /// 0x80050033; CR4 0x360ef0 with paging, else 0; EFER 0xd01 with paging and PAE, else 0 — so
  /// KVM_SET_SREGS accepts the set whatever state the vCPU was in (under heki the other vCPUs
  /// of crpin's booted VM never came up). CR3 is set only when the trace shows it.
  private func firstValues(_ vcpu: Int) -> [String] {
    var found: [String: UInt64] = [:]
    for index in trace.events.indices where trace.events[index].vcpu == vcpu {
      switch trace.events[index].event {
      case .controlRegister(let write, let cr, let value) where [0, 3, 4].contains(cr):
        guard found["cr\(cr)"] == nil else { continue }
        if write, let (outcome, _) = writeOutcome(index), outcome != "ok" { continue }
        found["cr\(cr)"] = value
      case .msr(_, MSRNumber.efer, let value, false):
        if found["efer"] == nil { found["efer"] = value }
      default: continue
      }
      if found.count == 4 { break }
    }
    let cr0 = found["cr0"] ?? 0x8005_0033
    let cr4 = found["cr4"] ?? (cr0 & CR0.pg != 0 ? 0x36_0ef0 : 0)
    let efer = found["efer"] ?? (cr0 & CR0.pg != 0 && cr4 & CR4.pae != 0 ? 0xd01 : 0)
    var values = ["cr0=\(Hex.short(cr0))"]
    if let cr3 = found["cr3"] { values.append("cr3=\(Hex.short(cr3))") }
    return values + ["cr4=\(Hex.short(cr4))", "efer=\(Hex.short(efer))"]
  }

  /// The outcome the trace shows for the CR write at `index`: `gp`/`ud` with the exception's
  /// index when `kvm_inj_exception` follows on the same thread, `ok` when `kvm_entry` comes
  /// first, `nil` when neither shows before another exit or access, or the trace ends.
  private func writeOutcome(_ index: Int) -> (String, Int?)? {
    let thread = trace.events[index].thread
    var next = index + 1
    let limit = min(trace.events.count, index + 1 + TraceImporter.outcomeWindow)
    while next < limit {
      defer { next += 1 }
      let traced = trace.events[next]
      guard traced.thread == thread else { continue }
      switch traced.event {
      case .exception(let name):
        switch name {
        case "#GP": return ("gp", next)
        case "#UD": return ("ud", next)
        default: return nil
        }
      case .entry: return ("ok", nil)
      default: return nil
      }
    }
    return nil
  }

  private func describe(_ event: KVMEvent) -> String {
    switch event {
    case .controlRegister(let write, let cr, let value):
      "cr_\(write ? "write" : "read") \(cr) = \(Hex.short(value))"
    case .msr(let write, let msr, let value, _):
      "msr_\(write ? "write" : "read") \(String(msr, radix: 16)) = \(Hex.short(value))"
    case .exception(let name): "\(name) injected"
    case .smm(_, let entering): entering ? "entering SMM" : "leaving SMM"
    case .nestedEntry: "nested VM-entry"
    case .nestedExitToL1(let reason): "nested VM-exit to L1, reason \(reason)"
    case .nestedExit(_, let reason, _): "L2 exit to L0, reason \(reason)"
    case .hypercall(let nr, _): HypercallName.of(nr)
    case .exit(_, let reason, _): "exit, reason \(reason)"
    case .entry: "entry"
    }
  }
}
