/// Heki's CR pinning (RFC v3 2/5, "KVM: x86: Add new hypercall to lock control registers",
/// Message-ID 20240503131910.307630-3-mic@digikod.net).
enum HekiPinning {
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
  /// MOVs — not on RSM's restore or the vmcs12 host-state load.
  static func check<Report: WriteReport>(
    _ register: PinnableRegister, value: UInt64, locks: PinPair, into report: inout Report
  ) {
    let missing = locks[register] & ~value
    if missing != 0 {
      report.rule(RuleHit(register == .cr0 ? .hekiCR0Locked : .hekiCR4Locked, register, bits: missing))
    }
  }
}
