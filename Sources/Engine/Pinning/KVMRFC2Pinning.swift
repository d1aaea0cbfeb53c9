/// The February 2020 draft (RFC v2 2/4 "KVM: X86: Add CR pin MSRs"), as quoted in Sean
/// Christopherson's review (Message-ID 20200303213541.GY1439@linux.intel.com).
enum KVMRFC2Pinning {
  static let cr0PinAllowed: UInt32 = 0x4b56_4d06
  static let cr4PinAllowed: UInt32 = 0x4b56_4d07
  static let cr0Pinned: UInt32 = 0x4b56_4d08
  static let cr4Pinned: UInt32 = 0x4b56_4d09

  /// Whether `number` is one of the draft's four MSRs (0x4b564d06-09).
  static func isDraftMSR(_ number: UInt32) -> Bool {
    number >= cr0PinAllowed && number <= cr4Pinned
  }

  /// The allowed masks are the seed patch's: WP; SMEP | SMAP | UMIP.
  static var allowed: PinPair { KVM2020Pinning.allowed }

  static func read(msr number: UInt32, pinned: PinPair) -> UInt64 {
    switch number {
    case cr0PinAllowed: allowed.cr0
    case cr4PinAllowed: allowed.cr4
    case cr0Pinned: pinned.cr0
    default: pinned.cr4
    }
  }

  /// Writes to `*_ALLOWED` succeed and change nothing, whatever the value. Writes to `*_PINNED`
  /// fail with a bit outside the allowed mask; otherwise the host replaces, the guest ORs.
  static func write<Report: WriteReport>(
    msr number: UInt32, data: UInt64, hostInitiated: Bool, pinned: inout PinPair,
    into report: inout Report
  ) {
    guard number == cr0Pinned || number == cr4Pinned else { return }
    let register: PinnableRegister = number == cr0Pinned ? .cr0 : .cr4
    let mask = allowed[register]
    if data & ~mask != 0 {
      report.fail(
        .rfc2PinNotAllowed,
        "\(BitList.labels(data & ~mask, register)) may not be pinned: the draft allows only "
          + "\(BitCatalog.names(in: mask, of: register)) (\(Hex.short(mask))).")
      return
    }
    pinned[register] = hostInitiated ? data : pinned[register] | data
  }

  /// The draft's check, outside SMM only and once the mask is non-zero:
  /// `(new ^ pinned) & allowed` — every allowed bit is held at its value in the mask.
  static func check<Report: WriteReport>(
    _ register: PinnableRegister, value: UInt64, vcpu: VCPU, into report: inout Report
  ) {
    let pinned = vcpu.rfc2Pinned[register]
    guard !vcpu.inSMM, pinned != 0 else { return }
    let differing = (value ^ pinned) & allowed[register]
    guard differing != 0 else { return }
    report.fail(
      register == .cr0 ? .rfc2PinCR0 : .rfc2PinCR4,
      heldMessage(register, pinned: pinned, value: value, differing: differing))
  }

  /// Why a write that changes held bits fails: which it would clear and which it would set.
  private static func heldMessage(
    _ register: PinnableRegister, pinned: UInt64, value: UInt64, differing: UInt64
  ) -> String {
    let set = differing & value
    let cleared = differing & ~value
    var parts: [String] = []
    if cleared != 0 { parts.append("clear \(BitList.labels(cleared, register))") }
    if set != 0 { parts.append("set \(BitList.labels(set, register))") }
    return "kvm-rfc2 holds every allowed \(register.displayName) bit at its value in "
      + "\(register.displayName)_PINNED (\(Hex.short(pinned))): the write would "
      + parts.joined(separator: " and ") + "."
  }

  /// RSM: KVM rewrites its own copy of the save area so the restored CR0/CR4 carry the pinned
  /// values: `v = (v | pinned) & ~(allowed & ~pinned)` for each register with a non-zero mask.
  static func rewrite(_ image: Registers, pinned: PinPair) -> Registers {
    var result = image
    if pinned.cr0 != 0 { result.cr0 = (image.cr0 | pinned.cr0) & ~(allowed.cr0 & ~pinned.cr0) }
    if pinned.cr4 != 0 { result.cr4 = (image.cr4 | pinned.cr4) & ~(allowed.cr4 & ~pinned.cr4) }
    return result
  }
}
