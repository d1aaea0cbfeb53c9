/// A VMCS12 host-state field L1 can write.
public enum VMCS12Field: String, CaseIterable, Sendable, Codable {
  case hostCR0 = "host_cr0"
  case hostCR4 = "host_cr4"
}

/// Everything that can happen to a VM. The script language writes each as one statement (its
/// statement table, `StatementKind` in the Script module, parses and prints them).
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
  /// Reboot the guest into Linux `version` (`option kernel X`): the VM reboots as `reboot`
  /// does, then every vCPU boots the new kernel (`GuestKernelFacts`).
  case kernelVersion(LinuxVersion)
  /// Run the VM on KVM `version` from now on (`option kvm X`, a what-if: a real VM changes KVM
  /// only by migrating); all state is kept (`HostKVMFacts`).
  case kvmVersion(LinuxVersion)
  /// The VMM's KVM_SET_CPUID2 adding (`present`) or removing a CPU feature: KVM's reserved-bit
  /// checks follow at once; the guest kernel sees it at its next boot.
  case hostCPUID(CPUFeature, present: Bool)

  /// Whether it can change vCPUs other than the one it runs on.
  var touchesEveryVCPU: Bool {
    switch self {
    case .reboot, .migrate, .option, .mechanism, .kernelVersion, .kvmVersion, .hostCPUID: true
    default: false
    }
  }

  /// Whether `apply` changes nothing but the registers of the vCPU acted on (and whether it has
  /// run since reset): what an outcome then keeps of the VM before it.
  var changesOnlyRegisters: Bool {
    switch self {
    case .mov, .rdmsr, .hostRdmsr: true
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
      .hostSregs, .kernelVersion, .kvmVersion, .hostCPUID:
      false
    }
  }
}
