/// One sub-step of a compound action (`boot`, `rsm`, `kernel write`, `kexec`), as it ran.
public struct Step: Equatable, Hashable, Sendable {
  /// What the sub-step did, e.g. `.mov(.cr4, 0x1406f0)`; the script's printer writes it as a
  /// statement (`StatementText`), naming MSRs as the design in force names them.
  public let action: Action
  /// Who or what did it, e.g. `setup_smep` or `RSM: back to a safe mode`.
  public let context: String
  /// How it ended.
  public let kind: OutcomeKind
  /// The rules it tripped.
  public let rules: [RuleHit]
  /// Whether KVM ignored its failure (RSM's "safe mode" writes).
  public let failureIgnored: Bool
}

/// One layer that saw a write and what it decided, in order: the hypervisor's design, then the
/// guest kernel's native pinning.
public struct Layer: Equatable, Hashable, Sendable {
  /// Which layer it is.
  public enum Decider: Equatable, Hashable, Sendable {
    /// The hypervisor's pinning design in force.
    case design(Mechanism)
    /// The guest kernel's native pinning (Linux 5.3+).
    case nativePinning

    /// How traces write it: `kvm-2020`, `kvm-rfc2`, `heki`, `vtl1`, `native`.
    public var name: String {
      switch self {
      case .design(let design): design.rawValue
      case .nativePinning: "native"
      }
    }
  }

  /// What a layer decided.
  public enum Decision: Equatable, Hashable, Sendable {
    /// The design let the write through.
    case allowed
    /// The design intercepted the write and skipped the instruction; `verdict` says how, in
    /// the design's words (`dropped: VTL1 skipped the instruction`).
    case dropped(verdict: String)
    /// The design refused it: the outcome and the rules it tripped.
    case refused(OutcomeKind, [RuleID])
    /// Native pinning checked the value written and found no pinned bit missing.
    case nothingMissing
    /// Native pinning put `bits` of `register` back and warned once.
    case restored(PinnableRegister, bits: UInt64)
    /// The write changed only bits the guest owns on VMX: it never exited, so the design's check
    /// in KVM never ran (KVM 6.4+ for CR0.WP, `HostKVMFacts.guestOwnedCR0/CR4`).
    case notReached
    /// Linux 5.3-5.7's CR4 pinning (to 1 only) set the missing `bits` again and warned once
    /// `CR4 bits went missing: %lx!?` (873d50d58f67).
    case restoredMissing(bits: UInt64)

    /// The kernel's one-time warning when native pinning puts `bits` of `register` back.
    public static func warning(_ register: PinnableRegister, bits: UInt64) -> String {
      register == .cr0 ? "CR0 WP bit went missing!?" : "pinned CR4 bits changed: \(Hex.short(bits))!?"
    }

    /// The sentence traces print: `#GP (pin.cr4.high)`, `allowed`, `restored 0x100000 and
    /// warned …`, `dropped: VTL1 skipped the instruction`.
    public var text: String {
      switch self {
      case .allowed: "allowed"
      case .dropped(let verdict): verdict
      case .refused(let kind, let rules): "\(kind.display) (\(rules.map(\.rawValue).joined(separator: ", ")))"
      case .nothingMissing: "checked: no pinned bit missing"
      case .notReached: "not reached: only guest-owned bits changed, no exit to KVM"
      case .restored(let register, let bits):
        "restored \(Hex.short(bits)) and warned `\(Self.warning(register, bits: bits))`"
      case .restoredMissing(let bits):
        "restored \(Hex.short(bits)) and warned `\(GuestKernelFacts.missingWarning(bits))`"
      }
    }
  }

  /// Which layer.
  public let decider: Decider
  /// What it decided.
  public let decision: Decision

  /// A layer's decision.
  public init(_ decider: Decider, _ decision: Decision) {
    self.decider = decider
    self.decision = decision
  }

  /// `kvm-2020`, `kvm-rfc2`, `heki`, `vtl1`, `native`.
  public var name: String { decider.name }
  /// What it did, as traces print it: `#GP (pin.cr4.high)`, `allowed`, `restored 0x100000 and
  /// warned …`, `dropped: …`.
  public var verdict: String { decision.text }
  /// The bits native pinning put back, if this layer is its restore.
  public var restoredBits: UInt64? {
    switch decision {
    case .restored(_, let bits), .restoredMissing(let bits): bits
    default: nil
    }
  }
}

/// Bits KVM changed on its own, without a fault: the forcing on VM-exit.
public struct ForcedBits: Equatable, Hashable, Sendable {
  /// CR0 bits that differ from the vmcs12 host value L1 asked for.
  public let cr0: UInt64
  /// CR4 bits that differ from the vmcs12 host value L1 asked for.
  public let cr4: UInt64

  /// Forced bits of CR0 and CR4.
  public init(cr0: UInt64, cr4: UInt64) {
    self.cr0 = cr0
    self.cr4 = cr4
  }
}

/// The part of the VM an outcome keeps from before the action.
enum Snapshot: Equatable, Sendable {
  /// The whole VM (actions that touch every vCPU; boxed, so that every outcome is 128 bytes
  /// smaller for the rare action that needs it).
  indirect case machine(VirtualMachine)
  /// One vCPU and the VM-wide values (boxed: an `Outcome` is copied whole wherever it goes,
  /// and a vCPU is a few hundred bytes).
  case vcpu(SavedVCPU)
  /// Only the registers and `hasRunSinceReset` of vCPU `index`, for actions that change
  /// nothing else (`Action.changesOnlyRegisters`: a MOV, an RDMSR): no allocation, and the
  /// rest of the VM is the same before and after.
  case registers(index: Int, Registers, hasRun: Bool)
}

/// One vCPU and the VM-wide values before an action, behind a reference whose fields are read
/// in place (an `indirect` case would copy them all out of its box at every look).
final class SavedVCPU: Equatable, Sendable {
  /// The vCPU acted on.
  let index: Int
  /// That vCPU before the action.
  let vcpu: VCPU
  /// The VM-wide values before the action.
  let scalars: MachineScalars

  init(index: Int, vcpu: VCPU, scalars: MachineScalars) {
    self.index = index
    self.vcpu = vcpu
    self.scalars = scalars
  }

  static func == (lhs: SavedVCPU, rhs: SavedVCPU) -> Bool {
    lhs === rhs || (lhs.index == rhs.index && lhs.vcpu == rhs.vcpu && lhs.scalars == rhs.scalars)
  }
}

/// Everything an action did: the verdict, every rule it tripped in KVM's order, notes, and the
/// state before and after (so the changes can be listed).
public struct Outcome: Equatable, Sendable {
  /// The verdict.
  public var kind: OutcomeKind
  /// Every rule that fired, in KVM's check order. KVM stops at the first; crpin evaluates the
  /// rest of the same function's checks too, so a trainee sees everything wrong at once.
  public var rules: [RuleHit]
  /// Plain-language notes: what KVM did silently, the patch's prose/code discrepancies (D1–D6),
  /// where crpin assumes something.
  public var notes: [String]
  /// The value read, for RDMSR and the host's KVM_GET_MSRS.
  public var value: UInt64?
  /// Bits KVM forced silently (VM-exit to L1 with pinned bits).
  public var forced: ForcedBits?
  /// Sub-steps, for compound actions.
  public var steps: [Step]
  /// For a kernel write: each layer that saw it and what it did, in order.
  public var layers: [Layer]
  /// What is kept of the VM before the action: only the vCPU acted on and the VM-wide values
  /// when the action cannot touch other vCPUs, so that `apply` never forces a copy of the
  /// vCPU array (a copy-on-write) on its hot path.
  private let saved: Snapshot
  /// The VM after the action (equal to `before` unless the outcome changed something).
  public var after: VirtualMachine

  /// The VM before the action.
  public var before: VirtualMachine {
    switch saved {
    case .machine(let vm): return vm
    case .vcpu(let saved):
      var vm = after
      if vm.vcpus.indices.contains(saved.index) { vm.vcpus[saved.index] = saved.vcpu }
      vm.scalars = saved.scalars
      return vm
    case .registers(let index, let registers, let hasRun):
      var vm = after
      if vm.vcpus.indices.contains(index) {
        vm.vcpus[registersOf: index] = registers
        vm.vcpus[index].hasRunSinceReset = hasRun
      }
      return vm
    }
  }

  /// An outcome that starts as `ok` with nothing changed, remembering `vm` as it is before
  /// `action` on `index`.
  @usableFromInline
  init(before vm: borrowing VirtualMachine, action: Action, index: Int) {
    if action.touchesEveryVCPU || !vm.vcpus.indices.contains(index) {
      saved = .machine(copy vm)
    } else if action.changesOnlyRegisters {
      saved = .registers(index: index, vm.vcpus[index].registers, hasRun: vm.vcpus[index].hasRunSinceReset)
    } else {
      saved = .vcpu(SavedVCPU(index: index, vcpu: vm.vcpus[index], scalars: vm.scalars))
    }
    kind = .ok
    rules = []
    notes = []
    value = nil
    forced = nil
    steps = []
    layers = []
    // Not `vm`: holding the vCPU array here would make the action's first write copy it.
    after = .placeholder
  }

  /// The rule identifiers, in order.
  public var ruleIDs: [RuleID] { rules.map(\.id) }

  /// What changed, as readable lines (`vCPU 0 CR4 0x360ef0 → 0x260ef0`).
  public var changes: [Change] {
    // The common case, found without building `before`: an action on one vCPU that changed
    // nothing (a refused write, a write of the value already there, a read).
    switch saved {
    case .vcpu(let saved):
      if after.vcpus.indices.contains(saved.index),
        after.vcpus[saved.index] == saved.vcpu, after.storage == saved.scalars.storage,
        after.stopped == saved.scalars.stopped, after.nativePinnedCR4 == saved.scalars.nativePinnedCR4
      {
        return []
      }
    case .registers(let index, let registers, let hasRun):
      if after.vcpus.indices.contains(index), after.vcpus[index].registers == registers,
        after.vcpus[index].hasRunSinceReset == hasRun
      {
        return []
      }
    case .machine: break
    }
    return Change.between(before, after)
  }

  /// The vCPU acted on and the VM-wide values before the action, when that is all the outcome
  /// kept (`Outcome.visitChanges` reads them in place).
  var savedVCPU: SavedVCPU? {
    if case .vcpu(let saved) = saved { saved } else { nil }
  }

  /// The acted vCPU's registers before the action, when they are all the outcome kept (an
  /// action that changes nothing else: `Action.changesOnlyRegisters`).
  var savedRegisters: (index: Int, registers: Registers)? {
    if case .registers(let index, let registers, _) = saved { (index, registers) } else { nil }
  }

  /// The mechanism in force before the action: `before.options.mechanism`, without building
  /// `before`.
  public var mechanismBefore: Mechanism {
    switch saved {
    case .machine(let vm): vm.options.mechanism
    case .vcpu(let saved): saved.scalars.storage.options.mechanism
    case .registers: after.options.mechanism
    }
  }
}
