/// What the SMM entry saved and whether SMM is active.
public struct SMMState: Equatable, Hashable, Sendable, Codable {
  /// The SMRAM state-save image of CR0, CR3, CR4 and EFER: the values when the SMI arrived
  /// (L2's, if L2 was running). RSM restores from here; an SMM handler may edit it.
  public var image: Registers
  /// Whether the SMI interrupted L2: RSM then re-enters guest mode before restoring.
  public var interruptedL2: Bool
}

/// Nested virtualization state of one vCPU, seen from L0 (KVM), with L1 a hypervisor in VMX
/// operation (crpin does not model VMXON) and L2 its guest.
public struct NestedState: Equatable, Hashable, Sendable, Codable {
  /// Whether L2 is running (KVM's "guest mode").
  public var inL2 = false
  /// vmcs12 host CR0 that L1 wrote explicitly; `nil`: L1's CR0 at VM-entry is used.
  public var explicitHostCR0: UInt64?
  /// vmcs12 host CR4 that L1 wrote explicitly; `nil`: L1's CR4 at VM-entry is used.
  public var explicitHostCR4: UInt64?
  /// The vmcs12 host-state fields in effect for the next VM-exit (filled at VM-entry).
  public var hostState: Registers?
  /// L2's registers as saved in vmcs12 by the VM-exit an SMI forced; RSM reloads them.
  public var l2AtSMI: Registers?

  /// Not nested.
  public init() {}
}

/// One virtual CPU.
public struct VCPU: Equatable, Hashable, Sendable, Codable {
  /// CR0, CR3, CR4, EFER of whatever runs now: L2's while L2 runs.
  public var registers: Registers
  /// SMM state while in SMM, `nil` outside.
  public var smm: SMMState?
  /// Nested state.
  public var nested: NestedState
  /// EFLAGS.AC: with SMAP, the kernel may touch user pages while it is set (`stac`/`clac`).
  public var eflagsAC: Bool
  /// Whether the vCPU has run anything since its last reset or reboot: `boot` resets first
  /// when it has.
  public var hasRunSinceReset: Bool

  /// A vCPU at its architectural reset values (its pin state is the design's: `DesignState`).
  public init() {
    registers = .reset
    eflagsAC = false
    smm = nil
    nested = NestedState()
    hasRunSinceReset = false
  }

  /// Whether SMM is active.
  public var inSMM: Bool { smm != nil }
  /// Whether L2 runs (KVM's `is_guest_mode`).
  public var inL2: Bool { nested.inL2 }
}
