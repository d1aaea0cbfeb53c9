import Engine

/// One cell of a comparison: how a step ended, as a typed fact, worded in a word or two by
/// `text` — `ok`, `#GP`, `#UD`, `#PF`, `dropped`, `restored+warned` (a kernel write the guest's
/// native pinning undid), `VM stops` (KVM exited to the VMM), `ok, forced` (KVM forced pinned
/// bits on VM-exit), `ok, rewritten` (kvm-rfc2 rewrote the SMRAM copy on RSM), `read 0x…` for
/// MSR reads, `RAX …` for hypercalls.
public enum OutcomeCell: Equatable, Hashable, Sendable {
  /// The step ended as `kind`, with nothing more to say about it.
  case ended(OutcomeKind)
  /// A kernel write went through, then the guest's native pinning put `bits` back and warned.
  case restored(bits: UInt64)
  /// A VM-exit went through and KVM forced pinned bits on.
  case forced
  /// An RSM went through, but the hypervisor rewrote the SMRAM copy it loaded.
  case rewritten
  /// An MSR read returned `value`.
  case read(UInt64)
  /// The lock hypercall returned `rax`.
  case hypercall(rax: UInt64)

  /// The cell for a record that ran an action (`nil` for anything else).
  public init?(_ record: StepRecord) {
    guard let action = record.action, let outcome = record.outcome else { return nil }
    guard outcome.kind == .ok else {
      self = .ended(outcome.kind)
      return
    }
    self = Self.ok(action, outcome, vcpu: record.vcpu)
  }

  /// The cell's words for a record that ran an action (`nil` for anything else).
  public static func text(for record: StepRecord) -> String? { OutcomeCell(record)?.text }

  /// How `crpin compare` words it.
  public var text: String {
    switch self {
    case .ended(.exit): "VM stops"
    case .ended(let kind): kind.display
    case .restored: "restored+warned"
    case .forced: "ok, forced"
    case .rewritten: "ok, rewritten"
    case .read(let value): "read " + Hex.short(value)
    case .hypercall(let rax): "RAX " + StatementText.hypercallShort(rax)
    }
  }

  /// The outcome kind underneath (`ok` for the cells that add to an `ok`).
  public var kind: OutcomeKind {
    if case .ended(let kind) = self { kind } else { .ok }
  }

  private static func ok(_ action: Action, _ outcome: Outcome, vcpu: Int) -> OutcomeCell {
    switch action {
    case .kernelWrite:
      let restored = outcome.layers.lazy.compactMap(\.restoredBits).first
      return restored.map { .restored(bits: $0) } ?? .ended(.ok)
    case .hypercallLockCR:
      return outcome.value.map { .hypercall(rax: $0) } ?? .ended(.ok)
    case .rdmsr, .hostRdmsr:
      return outcome.value.map { .read($0) } ?? .ended(.ok)
    case .vmexit:
      guard let forced = outcome.forced, forced.cr0 | forced.cr4 != 0 else { return .ended(.ok) }
      return .forced
    case .rsm:
      guard outcome.before.vcpus.indices.contains(vcpu), outcome.after.vcpus.indices.contains(vcpu),
        let image = outcome.before.vcpus[vcpu].smm?.image
      else { return .ended(.ok) }
      let restored = outcome.after.vcpus[vcpu].registers
      return restored.cr0 != image.cr0 || restored.cr4 != image.cr4 ? .rewritten : .ended(.ok)
    default:
      return .ended(.ok)
    }
  }
}
