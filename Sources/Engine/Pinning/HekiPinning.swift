/// Heki's CR pinning (RFC v3 2/5, "KVM: x86: Add new hypercall to lock control registers",
/// Message-ID 20240503131910.307630-3-mic@digikod.net): hypercall `KVM_HC_LOCK_CR_UPDATE`,
/// per-VM OR-only locks, never cleared.
public enum HekiPinning: PinRules {
  public static let name = "heki"
  public static let summary =
    "Heki CR locking, May 2024 (RFC v3): hypercall KVM_HC_LOCK_CR_UPDATE, per VM"
  public static let source = "Message-ID 20240503131910.307630-3-mic@digikod.net (RFC v3 2/5)"

  public typealias VCPUState = NoState
  /// The per-VM CR0/CR4 locks (pinned to 1, OR-only, never cleared).
  public typealias VMState = PinPair
  public static var initialVM: PinPair { .zero }

  static func wrap(_ payload: DesignPayload<HekiPinning>) -> DesignState { .heki(payload) }

  /// `KVM_HC_LOCK_CR_UPDATE`.
  static let hypercall: UInt64 = 13
  /// `KVM_LOCK_CR_UPDATE_VERSION`: with a0 = a1 = 0, returns the ABI version.
  static let versionFlag: UInt64 = 1
  /// `-KVM_EINVAL`.
  static let einval = UInt64(bitPattern: -22)
  /// `-KVM_ENOSYS`: what KVM returns for a hypercall it does not know.
  static let enosys = UInt64(bitPattern: -1000)
  /// CR4.FRED (bit 32), which Linux's `cr4_pinned_mask` includes by 6.9.
  static let fred: UInt64 = 1 << 32
  /// Linux's `cr4_pinned_mask` by 6.9: SMEP, SMAP, UMIP, FSGSBASE, CET, FRED.
  static let cr4Pinnable = CR4.smep | CR4.smap | CR4.umip | CR4.fsgsbase | CR4.cet | fred

  /// What the hypercall does: the new locks and RAX, plus the rule that explains an error.
  struct CallResult {
    var locks: PinPair
    var rax: UInt64
    var rule: RuleHit?
    var note: String?
  }

  static func lock(cr: UInt64, bits: UInt64, flags: UInt64, locks: PinPair, host: PinPair) -> CallResult {
    func invalid(_ why: String) -> CallResult {
      CallResult(
        locks: locks, rax: einval, rule: RuleHit(.hekiHypercallInvalid, why + " RAX = -KVM_EINVAL."),
        note: nil)
    }
    if flags == versionFlag {
      guard cr == 0, bits == 0 else { return invalid("The version query needs a0 = a1 = 0.") }
      return CallResult(locks: locks, rax: 1, rule: nil, note: "Heki's CR-lock ABI version is 1.")
    }
    guard flags == 0 else { return invalid("Unknown flags \(Hex.short(flags)).") }
    guard bits != 0 else { return invalid("Locking no bits is an error.") }
    var result = locks
    switch cr {
    case 0:
      guard bits & CR0.wp != 0 else { return invalid("A CR0 lock must include WP.") }
      let missing = bits & ~host.cr0
      guard missing == 0 else {
        return invalid("The host's CR0 lacks \(BitList.labels(missing, .cr0)): it cannot be locked.")
      }
      result.cr0 |= bits
      return CallResult(locks: result, rax: 0, rule: nil, note: nil)
    case 4:
      let outside = bits & ~cr4Pinnable
      guard outside == 0 else {
        return invalid(
          "\(BitList.labels(outside, .cr4)) is not in Linux's cr4_pinned_mask "
            + "(SMEP, SMAP, UMIP, FSGSBASE, CET, FRED).")
      }
      let kept = bits & host.cr4
      result.cr4 |= kept
      let dropped = bits & ~host.cr4
      let note =
        dropped == 0
        ? nil
        : "The host's CR4 lacks \(Hex.short(dropped)): those bits were dropped silently"
          + (kept == 0 ? " and nothing was locked." : ".")
      return CallResult(locks: result, rax: 0, rule: nil, note: note)
    default:
      return invalid("Only CR0 and CR4 can be locked, not CR\(cr).")
    }
  }

  /// `(new & pinned) != pinned` → #GP, in every CPU mode, on MOV-to-CR exits and emulated
  /// MOVs — before KVM's own checks (which still run), not on RSM's restore or the vmcs12
  /// host-state load.
  @inline(__always)
  static func intercept<Report: WriteReport>(
    _ register: PinnableRegister, value: UInt64, _ context: DesignContext,
    _ payload: DesignPayload<Self>, into report: inout Report
  ) {
    let missing = payload.vm[register] & ~value
    if missing != 0 {
      report.rule(RuleHit(register == .cr0 ? .hekiCR0Locked : .hekiCR4Locked, register, bits: missing))
    }
  }
}

extension Mechanism {
  /// Heki (RFC v3, May 2024): `KVM_HC_LOCK_CR_UPDATE`, per-VM OR-only locks, never cleared.
  public static let heki = Mechanism(HekiPinning.self)
}

/// Heki's remaining hooks: the locks as pins, what reset, reboot and migration do to them, the
/// guest's boot-time locking.
extension HekiPinning {
  public static func allowed(_ register: PinnableRegister) -> UInt64 {
    register == .cr0 ? CR0.wp : cr4Pinnable
  }

  /// The per-VM locks are high on every vCPU.
  public static func effectivePins(_ payload: DesignPayload<Self>, on index: Int) -> PinMasks {
    PinMasks(cr0High: payload.vm.cr0, cr4High: payload.vm.cr4)
  }

  static func resetNote(_ options: VMOptions) -> String {
    "[inference from the diff] Heki's locks are per VM and nothing clears them: this CPU's "
      + "real-mode bring-up will #GP on its first CR0 write without WP."
  }

  static func reboot(keepPins: Bool, _ payload: inout DesignPayload<Self>, notes: inout [String])
    -> Bool
  {
    if !payload.vm.isZero {
      notes.append(
        "[inference from the diff] Heki's locks survive the reboot (the series does not handle "
          + "reboot yet): the next boot's first CR0 write without WP will #GP.")
    }
    return false
  }

  /// [inference] The locks are hypervisor state that a VMM not carrying the pin state loses.
  static func dropPinsOnMigration(_ payload: inout DesignPayload<Self>) -> Bool {
    let had = !payload.vm.isZero
    payload.vm = .zero
    return had
  }

  /// The guest locks CR0.WP, then the pinnable CR4 bits it has set.
  static func bootPinning(_ registers: Registers) -> BootPinning {
    let cr4Bits = registers.cr4 & cr4Pinnable
    var steps: [(action: Action, context: String)] = [
      (.hypercallLockCR(cr: 0, bits: CR0.wp, flags: 0), "heki: lock CR0.WP")
    ]
    if cr4Bits != 0 {
      steps.append((.hypercallLockCR(cr: 4, bits: cr4Bits, flags: 0), "heki: lock CR4's pinned bits"))
    }
    return .steps(steps)
  }
}

extension VirtualMachine {
  /// `KVM_HC_LOCK_CR_UPDATE`. Errors come back in RAX, not as faults; KVM truncates the return
  /// value to 32 bits when the guest is not in 64-bit mode.
  mutating func lockCRHypercall(
    cr: UInt64, bits: UInt64, flags: UInt64, on index: Int, into outcome: inout Outcome
  ) {
    var rax: UInt64
    if var payload = payload(of: HekiPinning.self) {
      let result = HekiPinning.lock(
        cr: cr, bits: bits, flags: flags, locks: payload.vm,
        host: PinPair(cr0: options.hostCR0, cr4: options.hostCR4))
      payload.vm = result.locks
      design = .heki(payload)
      rax = result.rax
      if let rule = result.rule { outcome.rules.append(rule) }
      if let note = result.note { outcome.notes.append(note) }
    } else {
      rax = HekiPinning.enosys
      outcome.rules.append(
        RuleHit(
          .hypercallUnknown,
          "KVM without Heki does not know hypercall \(HekiPinning.hypercall): RAX = -KVM_ENOSYS."))
    }
    if !vcpus[index].registers.longMode {
      rax &= 0xffff_ffff
      outcome.notes.append("Outside 64-bit mode KVM truncates the hypercall's return value to 32 bits.")
    }
    outcome.value = rax
  }
}
