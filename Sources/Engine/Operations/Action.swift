/// A VMCS12 host-state field L1 can write.
public enum VMCS12Field: String, CaseIterable, Sendable, Codable {
  case hostCR0 = "host_cr0"
  case hostCR4 = "host_cr4"
}

/// Everything that can happen to a VM, each one statement of the script language.
public enum Action: Equatable, Hashable, Sendable {
  /// Guest `MOV to CRn`.
  case mov(ControlRegister, UInt64)
  /// The guest kernel's `native_write_cr0/cr4()`: the write, then native pinning's check.
  case kernelWrite(PinnableRegister, UInt64)
  /// Guest WRMSR.
  case wrmsr(UInt32, UInt64)
  /// Guest RDMSR.
  case rdmsr(UInt32)
  /// The VMM's KVM_SET_MSRS (host-initiated).
  case hostWrmsr(UInt32, UInt64)
  /// The VMM's KVM_GET_MSRS.
  case hostRdmsr(UInt32)
  /// A system-management interrupt: enter SMM.
  case smi
  /// RSM: leave SMM, restoring from the state-save image.
  case rsm
  /// Overwrite a value of the SMRAM state-save image (in SMM only).
  case smram(RegisterName, UInt64)
  /// L1 writes a vmcs12 host-state field (not while L2 runs).
  case vmcs12(VMCS12Field, UInt64)
  /// L1 enters L2 (VMLAUNCH/VMRESUME).
  case vmentry
  /// L2 exits to L1.
  case vmexit
  /// INIT/RESET of the vCPU.
  case reset
  /// Reset every vCPU; `keepPins`: the VMM restores the stale pin MSRs instead of zeroing them.
  case reboot(keepPins: Bool)
  /// Move the VM to a fresh host; `dropPins`: the VMM does not carry the pin MSRs over.
  case migrate(dropPins: Bool)
  /// The Linux boot sequence to a 64-bit guest, pinning at the end when CPUID offers it.
  case boot
  /// kexec into a new kernel without a reset: `relocate_kernel`'s CR writes, then the new
  /// kernel's 64-bit start-up.
  case kexec
  /// Flip a VM option.
  case option(VMOptionName, Bool)
  /// Switch the whole VM to another pinning design: every design's pins are cleared.
  case mechanism(Mechanism)
  /// Set the host's CR0 or CR4 (what Heki checks its locks against).
  case hostCR(PinnableRegister, UInt64)
  /// Heki's `KVM_HC_LOCK_CR_UPDATE` hypercall: a0 = CR number, a1 = bits, a2 = flags.
  case hypercallLockCR(cr: UInt64, bits: UInt64, flags: UInt64)
  /// VTL1 sets the CR0/CR4 intercept mask of the selected vCPU (0 = off).
  case vtl1Intercept(PinnableRegister, UInt64)
  /// VTL1's policy for intercepted writes.
  case vtl1Policy(VTL1Policy)
  /// The kernel jumps to code in a user page (ret2usr).
  case execUser
  /// The kernel dereferences a user pointer.
  case accessUser
  /// STAC: set EFLAGS.AC (the SMAP gadget).
  case stac
  /// CLAC: clear EFLAGS.AC.
  case clac
  /// The VMM's KVM_SET_SREGS: sets registers directly, no guest checks, no pin check.
  case hostSregs(cr0: UInt64?, cr3: UInt64?, cr4: UInt64?, efer: UInt64?)

  /// Whether it can change vCPUs other than the one it runs on.
  var touchesEveryVCPU: Bool {
    switch self {
    case .reboot, .migrate, .option, .mechanism: true
    default: false
    }
  }

  /// Whether the guest executes it (so a stopped VM refuses it).
  public var isGuestAction: Bool {
    switch self {
    case .mov, .kernelWrite, .wrmsr, .rdmsr, .smi, .rsm, .smram, .vmcs12, .vmentry, .vmexit,
      .kexec, .hypercallLockCR, .vtl1Intercept, .vtl1Policy, .execUser, .accessUser, .stac, .clac:
      true
    case .hostWrmsr, .hostRdmsr, .reset, .reboot, .migrate, .boot, .option, .mechanism, .hostCR,
      .hostSregs:
      false
    }
  }

  /// The action in the script language, e.g. `mov cr4, 0x260ef0` or `host wrmsr CR4_PINNED_HIGH, 0x0`.
  public var statement: String {
    switch self {
    case .mov(let register, let value): "mov \(register.rawValue), \(Hex.short(value))"
    case .kernelWrite(let register, let value): "kernel write \(register.rawValue), \(Hex.short(value))"
    case .wrmsr(let msr, let value): "wrmsr \(MSRCatalog.displayName(msr)), \(Hex.short(value))"
    case .rdmsr(let msr): "rdmsr \(MSRCatalog.displayName(msr))"
    case .hostWrmsr(let msr, let value):
      "host wrmsr \(MSRCatalog.displayName(msr)), \(Hex.short(value))"
    case .hostRdmsr(let msr): "host rdmsr \(MSRCatalog.displayName(msr))"
    case .smi: "smi"
    case .rsm: "rsm"
    case .smram(let register, let value): "smram \(register.rawValue), \(Hex.short(value))"
    case .vmcs12(let field, let value): "vmcs12 \(field.rawValue), \(Hex.short(value))"
    case .vmentry: "vmentry"
    case .vmexit: "vmexit"
    case .reset: "reset"
    case .reboot(let keepPins): keepPins ? "reboot keep-pins" : "reboot"
    case .migrate(let dropPins): dropPins ? "migrate drop-pins" : "migrate"
    case .boot: "boot"
    case .kexec: "kexec"
    case .option(let name, let on): "option \(name.rawValue) \(on ? "on" : "off")"
    case .mechanism(let mechanism): "option mechanism \(mechanism.rawValue)"
    case .hostCR(let register, let value): "option host-\(register.rawValue) \(Hex.short(value))"
    case .hypercallLockCR(let cr, let bits, let flags):
      "hypercall lock_cr \(cr == 0 || cr == 4 ? "cr\(cr)" : "\(cr)"), \(Hex.short(bits))"
        + (flags == 0 ? "" : ", \(Hex.short(flags))")
    case .vtl1Intercept(let register, let mask): "vtl1 intercept \(register.rawValue), \(Hex.short(mask))"
    case .vtl1Policy(let policy): "vtl1 policy \(policy.rawValue)"
    case .execUser: "exec user"
    case .accessUser: "access user"
    case .stac: "stac"
    case .clac: "clac"
    case .hostSregs(let cr0, let cr3, let cr4, let efer):
      "host sregs"
        + [("cr0", cr0), ("cr3", cr3), ("cr4", cr4), ("efer", efer)]
        .compactMap { name, value in value.map { " \(name)=\(Hex.short($0))" } }.joined()
    }
  }

  /// Who acts: the guest, its kernel, the host, VTL1, SMM, L1 or L2.
  public var actor: Actor {
    switch self {
    case .mov, .wrmsr, .rdmsr, .rsm, .hypercallLockCR: .guest
    case .kernelWrite, .boot, .kexec, .execUser, .accessUser, .stac, .clac: .kernel
    case .hostWrmsr, .hostRdmsr, .reset, .reboot, .migrate, .option, .mechanism, .hostCR, .hostSregs:
      .host
    case .vtl1Intercept, .vtl1Policy: .vtl1
    case .smi, .smram: .smm
    case .vmcs12, .vmentry: .l1
    case .vmexit: .l2
    }
  }
}
