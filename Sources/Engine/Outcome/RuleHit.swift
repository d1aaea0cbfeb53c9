/// A check that fired: a stable identifier, a sentence a trainee understands, and where in KVM
/// (or the guest kernel) the check lives.
///
/// The rules a hot path checks carry only the bits concerned; their sentence is rendered when
/// someone reads `message` (see `RuleText`), so deciding a write never formats text.
public struct RuleHit: Equatable, Hashable, Sendable {
  /// The rule's stable identifier, e.g. `pin.cr4.high`.
  public let id: RuleID
  /// A sentence fixed when the hit was made, for rules off the hot paths.
  let text: String?
  /// The register the bits belong to.
  let register: PinnableRegister
  /// The bits concerned (the pinned bits cleared, the reserved bits set...).
  let bits: UInt64
  /// A second value the sentence names (the allowed mask, the value written...).
  let value: UInt64

  /// A hit of `id` explained by `message`.
  public init(_ id: RuleID, _ message: String) {
    self.id = id
    text = message
    register = .cr4
    bits = 0
    value = 0
  }

  /// A hit of `id` about `bits` of `register`, its sentence rendered on demand.
  init(_ id: RuleID, _ register: PinnableRegister, bits: UInt64, value: UInt64 = 0) {
    self.id = id
    text = nil
    self.register = register
    self.bits = bits
    self.value = value
  }

  /// The KVM version a hit names in its sentence, as its `value` (0 for 5.8, the default).
  static func kvmTag(_ version: LinuxVersion) -> UInt64 {
    version == .seedBase ? 0 : UInt64(version.major) << 16 | UInt64(version.minor & 0xffff)
  }

  /// What happened, in plain words, naming bits with index and mask.
  public var message: String { text ?? RuleText.sentence(for: self) }

  /// The function (and file) that holds the check.
  public var source: String { id.source }
}

/// Every rule crpin can report, grouped by the operation that checks it and listed in KVM's
/// order within each group.
public enum RuleID: String, CaseIterable, Sendable, Codable {
  // Before KVM's own checks: Heki's locks, VTL1's intercepts.
  case hekiCR0Locked = "heki.cr0.locked"
  case hekiCR4Locked = "heki.cr4.locked"
  case vtl1Intercept = "vtl1.intercept"
  case xenMonitorDeny = "xen.monitor.deny"
  // MOV to CR0 (kvm_set_cr0), in order.
  case cr0ReservedHigh = "cr0.reserved-high"
  case cr0NWWithoutCD = "cr0.nw-without-cd"
  case cr0PGWithoutPE = "cr0.pg-without-pe"
  case pinCR0High = "pin.cr0.high"
  case pinCR0Low = "pin.cr0.low"
  case rfc2PinCR0 = "rfc2.pin.cr0"
  case cr0LongModeNeedsPAE = "cr0.long-mode-needs-pae"
  case cr0PGOffWithPCIDE = "cr0.pg-off-with-pcide"
  case cr0WPClearWithCET = "cr0.wp-clear-with-cet"
  // MOV to CR4 (kvm_set_cr4), in order.
  case cr4Reserved = "cr4.reserved"
  case cr4FeatureMissing = "cr4.feature-missing"
  case pinCR4High = "pin.cr4.high"
  case pinCR4Low = "pin.cr4.low"
  case rfc2PinCR4 = "rfc2.pin.cr4"
  case cr4LongModeNeedsPAE = "cr4.long-mode-needs-pae"
  case cr4PCIDENeedsPCID = "cr4.pcide-needs-pcid"
  case cr4PCIDENeedsZeroPCID = "cr4.pcide-needs-cr3-pcid-0"
  case cr4PCIDENeedsLongMode = "cr4.pcide-needs-long-mode"
  case cr4CETWithoutWP = "cr4.cet-without-wp"
  case cr4VMXENeedsVMX = "cr4.vmxe-needs-vmx"
  case cr4VMXEInSMM = "cr4.vmxe-in-smm"
  // MOV to CR3 (kvm_set_cr3).
  case cr3Reserved = "cr3.reserved"
  // EFER (set_efer).
  case eferReserved = "efer.reserved"
  case eferLMEWhilePaging = "efer.lme-while-paging"
  // MSR access.
  case msrUnknown = "msr.unknown"
  case msrPinAllowedReadOnly = "msr.pin-allowed-read-only"
  case msrPinNotAllowed = "msr.pin-not-allowed"
  case msrPinOpposite = "msr.pin-opposite"
  case msrPinGuestShrink = "msr.pin-guest-shrink"
  case msrPVCPUIDEnforced = "msr.pv-cpuid-enforced"
  case msrPinAllowedUnsupported = "msr.pin-allowed-unsupported"
  case rfc2PinNotAllowed = "rfc2.msr.pin-not-allowed"
  // Hypercalls (errors come back in RAX, not as faults).
  case hekiHypercallInvalid = "heki.hypercall-einval"
  case hypercallUnknown = "hypercall.unknown"
  // RSM (em_rsm, the patch's post_leave_smm).
  case rsmOutsideSMM = "rsm.outside-smm"
  case rsmRestoreFailed = "rsm.restore-failed"
  case rsmPostCheck = "rsm.post-check"
  case rsmEmulationFailedExit = "rsm.emulation-failed-exit"
  case rsmEmulationFailedUD = "rsm.emulation-failed-ud"
  case rsmTripleFault = "rsm.triple-fault"
  // Nested virtualization.
  case vmxInSMM = "nested.vmx-in-smm"
  case vmxMissing = "nested.no-vmx"
  case vmentryInL2 = "nested.vmentry-in-l2"
  // The exploit side: what SMEP and SMAP stop.
  case smepExecUser = "smep.exec-user"
  case smapAccessUser = "smap.access-user"
  case smapInstructionMissing = "smap.stac-clac-need-smap"
  // The VMM's KVM_SET_SREGS (kvm_valid_sregs).
  case sregsLongModeInconsistent = "sregs.long-mode-inconsistent"
  case sregsCR4Reserved = "sregs.cr4-reserved"
  // Things the model refuses because the state makes them impossible.
  case vmStopped = "state.stopped"
  case noSuchVCPU = "state.no-such-vcpu"
  case notInSMM = "state.not-in-smm"
  case notInL2 = "state.not-in-l2"
  case vmcs12WhileL2 = "state.vmcs12-while-l2"
  case noVTL1 = "state.no-vtl1"

  /// Where the check lives.
  public var source: String {
    switch self {
    case .cr0ReservedHigh, .cr0NWWithoutCD, .cr0PGWithoutPE, .cr0LongModeNeedsPAE,
      .cr0PGOffWithPCIDE:
      "kvm_set_cr0, arch/x86/kvm/x86.c"
    case .pinCR0High, .pinCR0Low: "kvm_set_cr0 (the patch's pin check), arch/x86/kvm/x86.c"
    case .pinCR4High, .pinCR4Low: "kvm_set_cr4 (the patch's pin check), arch/x86/kvm/x86.c"
    case .cr4Reserved, .cr4FeatureMissing: "kvm_valid_cr4, arch/x86/kvm/x86.c"
    case .cr4LongModeNeedsPAE, .cr4PCIDENeedsPCID, .cr4PCIDENeedsZeroPCID,
      .cr4PCIDENeedsLongMode:
      "kvm_set_cr4, arch/x86/kvm/x86.c"
    case .cr4VMXENeedsVMX, .cr4VMXEInSMM: "vmx_set_cr4, arch/x86/kvm/vmx/vmx.c"
    case .cr3Reserved: "kvm_set_cr3, arch/x86/kvm/x86.c"
    case .eferReserved, .eferLMEWhilePaging: "set_efer, arch/x86/kvm/x86.c"
    case .msrUnknown: "kvm_set_msr_common / kvm_get_msr_common, arch/x86/kvm/x86.c"
    case .msrPinAllowedReadOnly, .msrPinNotAllowed, .msrPinOpposite, .msrPinGuestShrink:
      "kvm_set_msr_common (the patch), arch/x86/kvm/x86.c"
    case .rsmOutsideSMM, .rsmRestoreFailed: "em_rsm, arch/x86/kvm/emulate.c"
    case .rsmPostCheck: "emulator_post_leave_smm (the patch), arch/x86/kvm/x86.c"
    case .rsmEmulationFailedExit, .rsmEmulationFailedUD:
      "handle_emulation_failure, arch/x86/kvm/x86.c"
    case .cr0WPClearWithCET:
      "kvm_set_cr0, arch/x86/kvm/x86.c (KVM 6.18+, kvm-x86-cet-6.18 \"Add fault checks for guest "
        + "CR4.CET\"); the CPU itself when WP is guest-owned (Intel SDM: MOV to CR0)"
    case .cr4CETWithoutWP:
      "kvm_set_cr4, arch/x86/kvm/x86.c (KVM 6.18+, kvm-x86-cet-6.18 \"Add fault checks for guest "
        + "CR4.CET\"); the CPU itself when CET is guest-owned (Intel SDM: MOV to CR4)"
    case .rsmTripleFault:
      "em_rsm, arch/x86/kvm/emulate.c (KVM 5.14+, 25b17226cd9a \"Emulate triple fault shutdown if "
        + "RSM emulation fails\")"
    case .vmxInSMM: "vmx_pre_enter_smm, arch/x86/kvm/vmx/nested.c"
    case .vmxMissing, .vmentryInL2: "nested_vmx_run, arch/x86/kvm/vmx/nested.c"
    case .vmStopped, .noSuchVCPU, .notInSMM, .notInL2, .vmcs12WhileL2, .noVTL1: "crpin's model"
    case .hekiCR0Locked, .hekiCR4Locked:
      "heki_check_cr (Heki RFC v3), handle_cr / the emulator's CR writes, arch/x86/kvm"
    case .hekiHypercallInvalid: "heki_lock_cr (Heki RFC v3), arch/x86/kvm/x86.c"
    case .hypercallUnknown: "kvm_emulate_hypercall, arch/x86/kvm/x86.c"
    case .vtl1Intercept: "Hyper-V secure intercept, VTL1's handler (LVBS mshv_vsm_lock_crs)"
    case .xenMonitorDeny: "hvm_monitor_cr / vm_event_register_write_resume, xen/arch/x86"
    case .rfc2PinCR0: "kvm_set_cr0 (RFC v2 draft), arch/x86/kvm/x86.c"
    case .rfc2PinCR4: "kvm_set_cr4 (RFC v2 draft), arch/x86/kvm/x86.c"
    case .rfc2PinNotAllowed: "kvm_set_msr_common (RFC v2 draft), arch/x86/kvm/x86.c"
    case .msrPVCPUIDEnforced: "kvm_pv_enforce_cpuid / guest_pv_has, arch/x86/kvm/x86.c (later KVM)"
    case .msrPinAllowedUnsupported: "the never-posted allowed-writable plan (review policy)"
    case .smepExecUser, .smapAccessUser: "the CPU's page walk; Linux's page_fault_oops"
    case .smapInstructionMissing: "STAC/CLAC: #UD without CPUID SMAP"
    case .sregsLongModeInconsistent, .sregsCR4Reserved: "kvm_valid_sregs, arch/x86/kvm/x86.c"
    }
  }
}
