/// The February 2020 draft (RFC v2 2/4 "KVM: X86: Add CR pin MSRs"), as quoted in Sean
/// Christopherson's review (Message-ID 20200303213541.GY1439@linux.intel.com): four MSRs, pin to
/// value, guest OR / host replace, SMRAM rewritten.
public enum KVMRFC2Pinning: PinRules {
  public static let name = "kvm-rfc2"
  public static let summary =
    "KVM CR pin MSRs, February 2020 draft (RFC v2): MSRs 0x4b564d06-09, pin to value"
  public static let source =
    "Sean Christopherson's review, Message-ID 20200303213541.GY1439@linux.intel.com"
  public static var needsKVMPatch: Bool { true }

  /// `CR0_PINNED` / `CR4_PINNED`: allowed bits held at these values once non-zero.
  public typealias VCPUState = PinPair
  public typealias VMState = NoState
  public static var initialVCPU: PinPair { .zero }

  static func wrap(_ payload: DesignPayload<KVMRFC2Pinning>) -> DesignState { .kvmRFC2(payload) }

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

  static func readMSR(_ number: UInt32, _ context: DesignContext, _ payload: DesignPayload<Self>)
    -> UInt64
  {
    let pinned = payload.vcpus[context.index]
    return switch number {
    case cr0PinAllowed: allowed.cr0
    case cr4PinAllowed: allowed.cr4
    case cr0Pinned: pinned.cr0
    default: pinned.cr4
    }
  }

  /// Writes to `*_ALLOWED` succeed and change nothing, whatever the value. Writes to `*_PINNED`
  /// fail with a bit outside the allowed mask; otherwise the host replaces, the guest ORs.
  static func writeMSR<Report: WriteReport>(
    _ number: UInt32, _ data: UInt64, hostInitiated: Bool, _ context: DesignContext,
    _ payload: inout DesignPayload<Self>, into report: inout Report
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
    let old = payload.vcpus[context.index][register]
    let new = hostInitiated ? data : old | data
    if new != old { payload.vcpus[context.index][register] = new }
  }

  /// The draft's check, outside SMM only and once the mask is non-zero:
  /// `(new ^ pinned) & allowed` — every allowed bit is held at its value in the mask.
  @inline(__always)
  static func checkPins<Report: WriteReport>(
    _ register: PinnableRegister, value: UInt64, _ context: DesignContext,
    _ payload: DesignPayload<Self>, into report: inout Report
  ) {
    let pinned = payload.vcpus[context.index][register]
    guard !context.inSMM, pinned != 0 else { return }
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

  /// RSM restores from the rewritten copy; a note for each register it changed.
  static func rsmImage(
    _ image: Registers, _ payload: DesignPayload<Self>, on index: Int, notes: inout [String]
  ) -> Registers {
    let rewritten = rewrite(image, pinned: payload.vcpus[index])
    for register in PinnableRegister.allCases {
      let old = image[register.controlRegister.register]
      let new = rewritten[register.controlRegister.register]
      guard old != new else { continue }
      notes.append(
        "kvm-rfc2 rewrote KVM's copy of the save area before the restore: \(register.displayName) "
          + "\(Hex.short(old)) → \(Hex.short(new)). The guest's SMRAM keeps the tampered value; "
          + "nothing faults.")
    }
    return rewritten
  }
}

extension Mechanism {
  /// The February 2020 draft: four MSRs, pin-to-value, guest OR / host replace, SMRAM rewritten.
  public static let kvmRFC2 = Mechanism(KVMRFC2Pinning.self)
}

/// The draft's remaining hooks: its MSR table, the pins as high/low masks, reset, reboot,
/// migration and the guest's boot-time pinning.
extension KVMRFC2Pinning {
  /// The draft's MSRs: 0x4b564d08/09 mean something else in kvm-2020.
  public static let msrs: [MSRInfo] = [
    MSRInfo(
      number: cr0PinAllowed, name: "MSR_KVM_CR0_PIN_ALLOWED", shortName: "CR0_PIN_ALLOWED",
      description: "kvm-rfc2: the CR0 bits a guest may pin (WP). Writes succeed and change nothing."),
    MSRInfo(
      number: cr4PinAllowed, name: "MSR_KVM_CR4_PIN_ALLOWED", shortName: "CR4_PIN_ALLOWED",
      description: "kvm-rfc2: the CR4 bits a guest may pin (UMIP | SMEP | SMAP). Writes change nothing."),
    MSRInfo(
      number: cr0Pinned, name: "MSR_KVM_CR0_PINNED", shortName: "CR0_PINNED",
      description:
        "kvm-rfc2: allowed CR0 bits held at these values once non-zero. The guest ORs, the VMM replaces."),
    MSRInfo(
      number: cr4Pinned, name: "MSR_KVM_CR4_PINNED", shortName: "CR4_PINNED",
      description:
        "kvm-rfc2: allowed CR4 bits held at these values once non-zero. The guest ORs, the VMM replaces."),
  ]

  public static func allowed(_ register: PinnableRegister) -> UInt64 { allowed[register] }

  /// Allowed bits outside the mask are held low once it is non-zero.
  public static func effectivePins(_ payload: DesignPayload<Self>, on index: Int) -> PinMasks {
    let pinned = payload.vcpus[index]
    return PinMasks(
      cr0Low: pinned.cr0 == 0 ? 0 : allowed.cr0 & ~pinned.cr0, cr0High: pinned.cr0,
      cr4Low: pinned.cr4 == 0 ? 0 : allowed.cr4 & ~pinned.cr4, cr4High: pinned.cr4)
  }

  @inline(__always)
  static func handles(msr number: UInt32) -> Bool { isDraftMSR(number) }

  static func isAllowedMSR(_ number: UInt32) -> Bool {
    number == cr0PinAllowed || number == cr4PinAllowed
  }

  /// 0x4b564d08/09 are the pinned MSRs here but the allowed MSRs in kvm-2020.
  static func otherMeaning(of number: UInt32) -> String? {
    guard number == cr0Pinned || number == cr4Pinned else { return nil }
    let register = number == cr0Pinned ? "CR0" : "CR4"
    return "\(Hex.short(UInt64(number))) is \(register)_PINNED under kvm-rfc2; in the June 2020 "
      + "patch (kvm-2020) it is \(register)_PIN_ALLOWED."
  }

  static func resetNote(_ options: VMOptions) -> String {
    "Reset clears the pins (kvm_vcpu_reset), so a CPU brought up again after hotplug or "
      + "hibernation can run its real-mode start-up code."
  }

  static func reboot(keepPins: Bool, _ payload: inout DesignPayload<Self>, notes: inout [String])
    -> Bool
  {
    let hadPins = payload.vcpus.contains { !$0.isZero }
    if !keepPins { payload.vcpus = payload.vcpus.map { _ in .zero } }
    return keepPins && hadPins
  }

  static func dropPinsOnMigration(_ payload: inout DesignPayload<Self>) -> Bool {
    let had = payload.vcpus.contains { !$0.isZero }
    payload.vcpus = payload.vcpus.map { _ in .zero }
    return had
  }

  static func bootPinning(_ registers: Registers) -> BootPinning {
    .throughMSRs(allowed: (cr0PinAllowed, cr4PinAllowed), pinned: (cr0Pinned, cr4Pinned))
  }
}
