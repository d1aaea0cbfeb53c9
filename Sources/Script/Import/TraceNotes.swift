import Engine

/// What a trace cannot show, said instead of pretending it is complete: a KVM trace records
/// only the CR writes that exit, and bits the guest owns never exit (versions.md §2.3).
enum TraceNotes {
  /// The notes for `trace`; `beyondLimit` events of vCPUs above 7 were kept as comments.
  static func notes(for trace: KVMTrace, beyondLimit: Int) -> [String] {
    var notes: [String] = []
    var lastCR0: [Int: UInt64] = [:]
    var wpToggle: Int?
    var sawCRWrite = false
    var sevESTrap: Int?
    for traced in trace.events {
      switch traced.event {
      case .controlRegister(true, let cr, let value):
        sawCRWrite = true
        guard cr == 0 else { continue }
        if let last = lastCR0[traced.vcpu], last ^ value == CR0.wp, wpToggle == nil { wpToggle = traced.line }
        lastCR0[traced.vcpu] = value
      case .exit(_, let reason, _) where reason.hasSuffix("_trap") && reason.hasPrefix("write_cr"):
        if sevESTrap == nil { sevESTrap = traced.line }
      default: continue
      }
    }
    guard sawCRWrite else {
      notes.append(
        "the trace has no kvm_cr writes, so nothing here exercises CR pinning (on a Linux 6.4+ host "
          + "with EPT even a guest that toggles CR0.WP leaves none: the bit is guest-owned, fb509f76acc8).")
      return notes + otherNotes(trace, sevESTrap: sevESTrap, beyondLimit: beyondLimit)
    }
    if let line = wpToggle {
      notes.append(
        "line \(line) toggles only CR0.WP and it exited: this host intercepted CR0.WP (Linux before 6.4, "
          + "or shadow paging), so the trace shows the guest's WP toggles.")
    } else {
      notes.append(
        "CR0.WP: the trace shows no CR0 write that toggles only WP. On a Linux 6.4+ host with EPT "
          + "(and the 6.1/5.15/5.10 backports) WP is a guest-owned bit and toggling it does not exit "
          + "(fb509f76acc8 \"KVM: VMX: Make CR0.WP a guest owned bit\"; Mathias Krause: \"toggling CR0.WP "
          + "won't generate a VMEXIT because the bit is guest owned\", Msg-ID "
          + "ea3a8fbc-2bf8-7442-e498-3e5818384c83@grsecurity.net), so a guest that cleared WP left no line "
          + "here and a design that pins WP was not asked about it.")
    }
    notes.append(
      "CR4 bits the guest owns on VMX never exit either: PVI, DE, PCE, OSFXSR, OSXMMEXCPT and PGE "
        + "(5.8), TSD (5.9+), FSGSBASE (5.10+), CET (6.18+); CR0.TS always. The trace shows only writes "
        + "that changed an intercepted bit.")
    return notes + otherNotes(trace, sevESTrap: sevESTrap, beyondLimit: beyondLimit)
  }

  private static func otherNotes(_ trace: KVMTrace, sevESTrap: Int?, beyondLimit: Int) -> [String] {
    var notes: [String] = []
    if let line = sevESTrap {
      notes.append(
        "line \(line) is an SEV-ES CR write trap: the write had already happened when KVM saw it "
          + "(5.11+, cr_trap()), so no design could have refused it.")
    }
    if trace.guessedVCPU {
      notes.append(
        "some events had no kvm_exit or kvm_entry on their host thread to name their vCPU: they were "
          + "given to vCPU 0.")
    }
    if beyondLimit > 0 {
      notes.append(
        "\(Plural.count(beyondLimit, "event")) of vCPUs above 7 kept as comments: crpin models at most 8 vCPUs."
      )
    }
    return notes
  }

  /// `text` cut into lines of at most `width` characters at spaces.
  static func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      if !line.isEmpty, line.count + 1 + word.count > width {
        lines.append(line)
        line = ""
      }
      line += line.isEmpty ? String(word) : " " + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }
}
