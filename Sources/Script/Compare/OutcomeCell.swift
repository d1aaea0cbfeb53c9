import Engine

/// One cell of a comparison: how a step ended, in a word or two — `ok`, `#GP`, `#UD`, `#PF`,
/// `dropped`, `restored+warned` (a kernel write the guest's native pinning undid), `VM stops`
/// (KVM exited to the VMM), `ok, forced` (KVM forced pinned bits on VM-exit), `ok, rewritten`
/// (kvm-rfc2 rewrote the SMRAM copy on RSM), `read 0x…` for MSR reads, `RAX …` for hypercalls.
public enum OutcomeCell {
  /// The cell for a record that ran an action (`nil` for anything else).
  public static func text(for record: StepRecord) -> String? {
    guard let action = record.action, let outcome = record.outcome else { return nil }
    switch outcome.kind {
    case .exit: return "VM stops"
    case .ok: return okText(action, outcome, vcpu: record.vcpu)
    default: return outcome.kind.display
    }
  }

  private static func okText(_ action: Action, _ outcome: Outcome, vcpu: Int) -> String {
    switch action {
    case .kernelWrite:
      let restored = outcome.layers.contains { $0.name == "native" && $0.verdict.hasPrefix("restored") }
      return restored ? "restored+warned" : "ok"
    case .hypercallLockCR:
      return outcome.value.map { "RAX " + StatementText.hypercallShort($0) } ?? "ok"
    case .rdmsr, .hostRdmsr:
      return outcome.value.map { "read " + Hex.short($0) } ?? "ok"
    case .vmexit:
      guard let forced = outcome.forced, forced.cr0 | forced.cr4 != 0 else { return "ok" }
      return "ok, forced"
    case .rsm:
      guard outcome.before.vcpus.indices.contains(vcpu), outcome.after.vcpus.indices.contains(vcpu),
        let image = outcome.before.vcpus[vcpu].smm?.image
      else { return "ok" }
      let restored = outcome.after.vcpus[vcpu].registers
      return restored.cr0 != image.cr0 || restored.cr4 != image.cr4 ? "ok, rewritten" : "ok"
    default:
      return "ok"
    }
  }
}
