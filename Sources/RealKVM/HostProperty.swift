import Engine

/// A measured way this host's KVM differs from Linux 5.8 KVM on VMX/SVM hardware — a property
/// of the host, not an error in the model. `crpin verify` names the ones it meets.
public struct HostProperty: Sendable {
  /// A stable id, e.g. `pvm.cr-high-bits-dropped`.
  public let id: String
  /// What the host does, and what 5.8 on hardware does instead.
  public let summary: String
  /// Whether a difference on `action` (the vCPU's registers before it in `before`, the model's
  /// verdict `model`, the real one `real`) is this property at work.
  let explains:
    @Sendable (
      _ action: Action, _ before: Registers, _ model: OutcomeKind, _ real: RealOutcome.Kind, _ cpu: CPUModel
    ) -> Bool

  /// The properties of the KVM provided by `module`: checks upstream KVM gained after 5.8
  /// (every host runs a later kernel), and for kvm_pvm what was measured on this project's
  /// machines (docs/real-kvm.md).
  public static func known(for module: String) -> [HostProperty] {
    switch module {
    case "kvm_pvm": pvm + laterKVM
    default: laterKVM
    }
  }

  /// Whether `action` is a `host sregs` that sets CR4 to a value with `bits`.
  static func sregsCR4(_ action: Action, has bits: UInt64) -> Bool {
    guard case .hostSregs(_, _, let cr4?, _) = action else { return false }
    return cr4 & bits != 0
  }

  /// Checks upstream KVM (arch/x86/kvm/x86.c) made after Linux 5.8, which crpin models.
  static let laterKVM: [HostProperty] = [
    HostProperty(
      id: "later-kvm.pg-clear-in-64-bit-mode",
      summary:
        "Clearing CR0.PG from 64-bit code #GPs: later KVM's kvm_set_cr0 rejects it "
        + "(`is_64_bit_mode(vcpu)`, as Xen's 2023 \"Disallow disabling paging in 64bit mode\"); "
        + "5.8's does not check it."
    ) { action, before, model, real, _ in
      guard case .mov(.cr0, let value) = action else { return false }
      return value & CR0.pg == 0 && before.cr0 & CR0.pg != 0 && before.efer & EFERBits.lma != 0
        && model == .ok && real == .fault(vector: 13)
    },
    HostProperty(
      id: "later-kvm.set-sregs-checks-cr0",
      summary:
        "KVM_SET_SREGS refuses a CR0 with bits 63:32, NW without CD or PG without PE: later "
        + "KVM's kvm_is_valid_sregs calls kvm_is_valid_cr0; 5.8's kvm_valid_sregs checks only "
        + "long-mode consistency and CR4."
    ) { action, _, model, real, _ in
      guard case .hostSregs(let cr0?, _, _, _) = action else { return false }
      let invalid =
        cr0 >> 32 != 0 || (cr0 & CR0.nw != 0 && cr0 & CR0.cd == 0) || (cr0 & CR0.pg != 0 && cr0 & CR0.pe == 0)
      return invalid && model == .ok && real.isRefused
    },
    HostProperty(
      id: "later-kvm.set-sregs-checks-cr3",
      summary:
        "KVM_SET_SREGS refuses a long-mode CR3 with bits at or above MAXPHYADDR: later KVM's "
        + "kvm_is_valid_sregs checks kvm_vcpu_is_legal_cr3; 5.8's does not."
    ) { action, _, model, real, cpu in
      guard case .hostSregs(_, let cr3?, _, _) = action else { return false }
      return cr3 & cpu.reservedCR3InLongMode != 0 && model == .ok && real.isRefused
    },
  ]

  /// CR4 bits that 5.8 gates on CPUID but kvm_pvm accepts whatever CPUID says.
  static let pvmUngatedCR4 = CR4.umip | CR4.smep | CR4.smap | CR4.fsgsbase | CR4.osxsave | CR4.pke
  /// CR4 bits that always #GP on kvm_pvm: LA57, VMXE, SMXE, PCIDE, bit 15, KL, CET, PKS, LAM
  /// (bit 28), bit 31.
  static let pvmRefusedCR4: UInt64 =
    CR4.la57 | CR4.vmxe | CR4.smxe | CR4.pcide | (1 << 15) | CR4.kl | CR4.cet | CR4.pks | (1 << 28)
    | (1 << 31)

  /// kvm_pvm: a PVM fork (`pvm_native=1`) that emulates the guest's privileged instructions
  /// in software, with no VMX/SVM exit in the loop.
  static let pvm: [HostProperty] = [
    HostProperty(
      id: "pvm.cr-high-bits-dropped",
      summary:
        "MOV to CR0/CR4 from 64-bit code drops bits 63:32 silently, as upstream's emulator "
        + "(emulator_set_cr -> mk_cr_64) does; 5.8 on VMX/SVM #GPs (reserved bits)."
    ) { action, _, model, real, _ in
      guard case .mov(let register, let value) = action, register != .cr3, value >> 32 != 0 else {
        return false
      }
      return model == .gp && real == .ok
    },
    HostProperty(
      id: "pvm.cr4-ignores-cpuid",
      summary:
        "CR4.UMIP, SMEP, SMAP, FSGSBASE, OSXSAVE and PKE are accepted, by MOV and by "
        + "KVM_SET_SREGS, whatever the guest's CPUID says; 5.8 refuses them when KVM_SET_CPUID2 "
        + "left the feature out (kvm_valid_cr4)."
    ) { action, _, model, real, cpu in
      let bits = pvmUngatedCR4 & cpu.reservedCR4
      if sregsCR4(action, has: bits) { return model == .rejected && real == .ok }
      guard case .mov(.cr4, let value) = action else { return false }
      return value & bits != 0 && model == .gp && real == .ok
    },
    HostProperty(
      id: "pvm.cr4-always-refused",
      summary:
        "CR4.LA57, VMXE, SMXE, PCIDE, bit 15, KL, CET, PKS, LAM and bit 31 always #GP (and "
        + "KVM_SET_SREGS refuses them), whatever CPUID says."
    ) { action, _, model, real, _ in
      if sregsCR4(action, has: pvmRefusedCR4) { return model == .ok && real.isRefused }
      guard case .mov(.cr4, let value) = action else { return false }
      return value & pvmRefusedCR4 != 0 && model == .ok && real == .fault(vector: 13)
    },
    HostProperty(
      id: "pvm.legacy-paging-refused",
      summary:
        "CR0.PG=1 without EFER.LME (32-bit or PAE paging) always #GPs: only long-mode paging "
        + "works; 5.8 enables legacy paging."
    ) { action, before, model, real, _ in
      guard case .mov(.cr0, let value) = action else { return false }
      return value & CR0.pg != 0 && before.cr0 & CR0.pg == 0 && before.efer & EFERBits.lme == 0
        && model == .ok && real == .fault(vector: 13)
    },
  ]
}

extension RealOutcome.Kind {
  /// Whether KVM refused the VMM's ioctl.
  var isRefused: Bool {
    if case .refused = self { return true }
    return false
  }
}
