/// The seed patch's mechanism ("KVM: x86: Introduce paravirt feature CR0/CR4 pinning",
/// June 2020), rule for rule as its code does it: six MSRs, per-vCPU high/low masks. The default.
public enum KVM2020Pinning: PinRules {
  public static let name = "kvm-2020"
  public static let summary =
    "KVM paravirtual CR pinning, June 2020 (the seed patch): MSRs 0x4b564d08-0d"
  public static let source = "Message-Id 20200617190757.27081-3-john.s.andersen@intel.com"
  public static var needsKVMPatch: Bool { true }

  /// A vCPU's pin state.
  public struct VCPUState: Hashable, Sendable {
    /// The four masks (`cr0_pinned`, `cr4_pinned` high and low).
    public internal(set) var pins = PinMasks.none
    /// The pin-allowed masks when the VMM has rewritten them (policy `allowed-writable`);
    /// `nil`: the patch's constants.
    public internal(set) var allowed: PinPair?
  }
  public typealias VMState = NoState
  public static var initialVCPU: VCPUState { VCPUState() }

  static func wrap(_ payload: DesignPayload<KVM2020Pinning>) -> DesignState { .kvm2020(payload) }

  /// `KVM_CR0_PIN_ALLOWED`: WP.
  static let cr0Allowed: UInt64 = CR0.wp
  /// `KVM_CR4_PIN_ALLOWED`: SMEP | SMAP | UMIP.
  static let cr4Allowed: UInt64 = CR4.smep | CR4.smap | CR4.umip

  /// Whether `number` is one of the six MSRs the patch adds (0x4b564d08-0d).
  static func isPatchMSR(_ number: UInt32) -> Bool {
    number >= MSRNumber.cr0PinAllowed && number <= MSRNumber.cr4PinnedHigh
  }

  /// The constants `KVM_CR0_PIN_ALLOWED` and `KVM_CR4_PIN_ALLOWED`.
  static var allowed: PinPair { PinPair(cr0: cr0Allowed, cr4: cr4Allowed) }

  static func read(msr number: UInt32, pins: PinMasks, allowed: PinPair) -> UInt64 {
    switch number {
    case MSRNumber.cr0PinAllowed: allowed.cr0
    case MSRNumber.cr4PinAllowed: allowed.cr4
    case MSRNumber.cr0PinnedLow: pins.cr0Low
    case MSRNumber.cr0PinnedHigh: pins.cr0High
    case MSRNumber.cr4PinnedLow: pins.cr4Low
    default: pins.cr4High
    }
  }

  /// `kvm_set_msr_common`'s new cases, into a fresh `report`. Each check that fails is
  /// reported, in code order; the masks change only when none does.
  @inline(__always)
  static func writePins<Report: WriteReport>(
    msr number: UInt32, data: UInt64, hostInitiated: Bool, pins: inout PinMasks, allowed: PinPair,
    into report: inout Report
  ) {
    switch number {
    case MSRNumber.cr0PinAllowed, MSRNumber.cr4PinAllowed:
      let mask = allowed[number == MSRNumber.cr0PinAllowed ? .cr0 : .cr4]
      if data != mask {
        report.fail(
          .msrPinAllowedReadOnly,
          "\(MSRCatalog.displayName(number)) is read-only: a write succeeds only with its own value "
            + "\(Hex.short(mask)), not \(Hex.short(data)).")
      }
    default:
      let register: PinnableRegister =
        number == MSRNumber.cr0PinnedLow || number == MSRNumber.cr0PinnedHigh ? .cr0 : .cr4
      let isHigh = number == MSRNumber.cr0PinnedHigh || number == MSRNumber.cr4PinnedHigh
      let current = isHigh ? pins.high(register) : pins.low(register)
      let opposite = isHigh ? pins.low(register) : pins.high(register)
      let mask = allowed[register]
      if data & ~mask != 0 {
        report.rule(RuleHit(.msrPinNotAllowed, register, bits: data & ~mask, value: mask))
      }
      if data & opposite != 0 {
        report.rule(RuleHit(.msrPinOpposite, register, bits: data & opposite, value: isHigh ? 0 : 1))
      }
      if !hostInitiated, ~data & current != 0 {
        report.rule(RuleHit(.msrPinGuestShrink, register, bits: ~data & current))
      }
      guard !report.refused else { return }
      switch (register, isHigh) {
      case (.cr0, true): pins.cr0High = data
      case (.cr0, false): pins.cr0Low = data
      case (.cr4, true): pins.cr4High = data
      case (.cr4, false): pins.cr4Low = data
      }
    }
  }

  /// The patch's check `((v ^ high) & high) || ((~v ^ low) & low)`, as rule hits.
  @inline(__always)
  static func checkMasks<Report: WriteReport>(
    _ register: PinnableRegister, value: UInt64, pins: PinMasks, into report: inout Report
  ) {
    let clearedHigh = (value ^ pins.high(register)) & pins.high(register)
    let setLow = (~value ^ pins.low(register)) & pins.low(register)
    if clearedHigh != 0 {
      report.rule(RuleHit(register == .cr0 ? .pinCR0High : .pinCR4High, register, bits: clearedHigh))
    }
    if setLow != 0 {
      report.rule(RuleHit(register == .cr0 ? .pinCR0Low : .pinCR4Low, register, bits: setLow))
    }
  }

  /// `emulator_post_leave_smm`: the loaded CR0 and CR4 must satisfy the pins.
  static func postRSMViolations(_ registers: Registers, _ payload: DesignPayload<Self>, on index: Int)
    -> [RuleHit]
  {
    let pins = payload.vcpus[index].pins
    var hits: [RuleHit] = []
    for register in PinnableRegister.allCases {
      let value = register == .cr0 ? registers.cr0 : registers.cr4
      let missing =
        ((value ^ pins.high(register)) & pins.high(register))
        | ((~value ^ pins.low(register)) & pins.low(register))
      if missing != 0 {
        hits.append(
          RuleHit(
            .rsmPostCheck,
            "After RSM \(register.displayName) is \(Hex.short(value)), which breaks the pin on "
              + "\(BitList.labels(missing, register)): "
              + "the patch's post-RSM check fails."))
      }
    }
    return hits
  }
}

extension Mechanism {
  /// The seed patch (June 2020): six MSRs, per-vCPU high/low masks. The default.
  public static let kvm2020 = Mechanism(KVM2020Pinning.self)
}

/// The patch's hooks: its MSRs, its check in `kvm_set_cr0/cr4`, its VM-exit load and post-RSM
/// check, what reset, reboot and migration do to its masks, and the guest's boot-time pinning.
extension KVM2020Pinning {
  public static var msrs: [MSRInfo] { MSRCatalog.all.filter { isPatchMSR($0.number) } }

  public static func allowed(_ register: PinnableRegister) -> UInt64 { allowed[register] }

  public static func allowed(
    _ register: PinnableRegister, _ payload: DesignPayload<Self>, on index: Int
  ) -> UInt64 {
    (payload.vcpus[index].allowed ?? allowed)[register]
  }

  public static func effectivePins(_ payload: DesignPayload<Self>, on index: Int) -> PinMasks {
    payload.vcpus[index].pins
  }

  @inline(__always)
  static func handles(msr number: UInt32) -> Bool { isPatchMSR(number) }

  static func isAllowedMSR(_ number: UInt32) -> Bool {
    number == MSRNumber.cr0PinAllowed || number == MSRNumber.cr4PinAllowed
  }

  /// 0x4b564d08/09 are the allowed MSRs here but the pinned MSRs in kvm-rfc2.
  static func otherMeaning(of number: UInt32) -> String? {
    guard isAllowedMSR(number) else { return nil }
    let register = number == MSRNumber.cr0PinAllowed ? "CR0" : "CR4"
    return "\(Hex.short(UInt64(number))) is \(register)_PIN_ALLOWED here (kvm-2020); under the "
      + "February 2020 draft (kvm-rfc2) it was \(register)_PINNED."
  }

  /// No intercept, and `checkPins` below checks the masks `effectivePins` gives.
  static var checksOnlyEffectivePins: Bool { true }

  /// The pin check inside `kvm_set_cr0/cr4`, skipped in SMM and while L2 runs. When it exempts
  /// a write that would have broken the pins, a note says so.
  @inline(__always)
  static func checkPins<Report: WriteReport>(
    _ register: PinnableRegister, value: UInt64, _ context: DesignContext,
    _ payload: DesignPayload<Self>, into report: inout Report
  ) {
    let pins = payload.vcpus[context.index].pins
    guard context.inSMM || context.inL2 else {
      checkMasks(register, value: value, pins: pins, into: &report)
      return
    }
    guard Report.explains else { return }
    var outside = WriteVerdict()
    checkMasks(register, value: value, pins: pins, into: &outside)
    guard outside.refused else { return }
    report.note(skippedCheckNote(register, inSMM: context.inSMM))
  }

  /// The note on a write that only SMM or L2 let through: literals, so that a write in SMM
  /// (every write of an SMM handler) builds no string.
  static func skippedCheckNote(_ register: PinnableRegister, inSMM: Bool) -> String {
    switch (register, inSMM) {
    case (.cr0, true): "In SMM the patch skips the pin check: outside SMM this CR0 write would #GP."
    case (.cr4, true): "In SMM the patch skips the pin check: outside SMM this CR4 write would #GP."
    case (.cr0, false):
      "While L2 runs the patch skips the pin check (the pins are L1's): from L1 this CR0 write would #GP."
    case (.cr4, false):
      "While L2 runs the patch skips the pin check (the pins are L1's): from L1 this CR4 write would #GP."
    }
  }

  static func readMSR(_ number: UInt32, _ context: DesignContext, _ payload: DesignPayload<Self>)
    -> UInt64
  {
    let vcpu = payload.vcpus[context.index]
    return read(msr: number, pins: vcpu.pins, allowed: vcpu.allowed ?? allowed)
  }

  @inline(__always)
  static func writeMSR<Report: WriteReport>(
    _ number: UInt32, _ data: UInt64, hostInitiated: Bool, _ context: DesignContext,
    _ payload: inout DesignPayload<Self>, into report: inout Report
  ) {
    let index = context.index
    if hostInitiated, context.allowedWritable, isAllowedMSR(number) {
      writeAllowedMask(
        number == MSRNumber.cr0PinAllowed ? .cr0 : .cr4, data, reservedCR4: context.reservedCR4,
        allowed: &payload.vcpus[index].allowed, into: &report)
      return
    }
    // On a copy, stored back only when it changed: a refused write (the common case in a
    // replay) then never pays for the array's uniqueness check.
    var pins = payload.vcpus[index].pins
    writePins(
      msr: number, data: data, hostInitiated: hostInitiated, pins: &pins,
      allowed: payload.vcpus[index].allowed ?? allowed, into: &report)
    if pins != payload.vcpus[index].pins { payload.vcpus[index].pins = pins }
  }

  /// Policy `allowed-writable`: the VMM sets the allowed mask to any bits the CPU model has.
  private static func writeAllowedMask<Report: WriteReport>(
    _ register: PinnableRegister, _ data: UInt64, reservedCR4: UInt64, allowed current: inout PinPair?,
    into result: inout Report
  ) {
    let supported = register == .cr0 ? CR0.defined : CR4.knownToKVM & ~reservedCR4
    let unsupported = data & ~supported
    guard unsupported == 0 else {
      result.fail(
        .msrPinAllowedUnsupported,
        "\(BitList.labels(unsupported, register)) cannot be allowed: this CPU model lacks "
          + "\(unsupported.nonzeroBitCount == 1 ? "it" : "them").")
      return
    }
    var mask = current ?? allowed
    mask[register] = data
    current = mask
    guard Report.explains else { return }
    let trouble: [(UInt64, String)] = [
      (CR4.pcide, "Pinning CR4.PCIDE on makes 32-bit mode impossible (Andy Lutomirski)."),
      (
        CR4.pae,
        "Pinning CR4.PAE forbids the non-PAE paging of real-mode bring-up and kexec [inference]."
      ),
      (
        CR0.ts,
        "CR0.TS is toggled by lazy FPU switching and CLTS; pinning it would need emulator "
          + "support (Sean Christopherson)."
      ),
    ]
    for (bit, why) in trouble where register == (bit == CR0.ts ? .cr0 : .cr4) && data & bit != 0 {
      result.note(why)
    }
  }

  /// `load_vmcs12_host_state` with the patch: `(host | high) & ~low`, silently.
  static func vmExitValue(
    _ register: PinnableRegister, host: UInt64, _ payload: DesignPayload<Self>, on index: Int
  ) -> UInt64 {
    let pins = payload.vcpus[index].pins
    return (host | pins.high(register)) & ~pins.low(register)
  }

  static func resetNote(_ options: VMOptions) -> String {
    options.initKeepsPins
      ? "INIT keeps the pins (policy init-keeps-pins): this CPU's real-mode bring-up will #GP on "
        + "its first CR0 write without WP."
      : "Reset clears the pins (kvm_vcpu_reset), so a CPU brought up again after hotplug or "
        + "hibernation can run its real-mode start-up code."
  }

  /// `kvm_vcpu_reset` clears the masks (`init-keeps-pins` keeps them); the VMM's allowed masks
  /// stay.
  static func reset(_ payload: inout DesignPayload<Self>, on index: Int, options: VMOptions) {
    let old = payload.vcpus[index]
    payload.vcpus[index] = VCPUState(pins: options.initKeepsPins ? old.pins : .none, allowed: old.allowed)
  }

  /// The VMM must zero the pin MSRs; with `keepPins` it restores the stale values. The allowed
  /// masks stay.
  static func reboot(keepPins: Bool, _ payload: inout DesignPayload<Self>, notes: inout [String])
    -> Bool
  {
    let hadPins = payload.vcpus.contains { !$0.pins.isEmpty }
    payload.vcpus = payload.vcpus.map { VCPUState(pins: keepPins ? $0.pins : .none, allowed: $0.allowed) }
    return keepPins && hadPins
  }

  static func dropPinsOnMigration(_ payload: inout DesignPayload<Self>) -> Bool {
    let had = payload.vcpus.contains { !$0.pins.isEmpty }
    for index in payload.vcpus.indices { payload.vcpus[index].pins = .none }
    return had
  }

  /// The guest side of the series: pin high through the six MSRs.
  static func bootPinning(_ registers: Registers) -> BootPinning {
    .throughMSRs(
      allowed: (MSRNumber.cr0PinAllowed, MSRNumber.cr4PinAllowed),
      pinned: (MSRNumber.cr0PinnedHigh, MSRNumber.cr4PinnedHigh))
  }

  static func changes(from old: VCPUState, to new: VCPUState, vcpu index: Int) -> [Change] {
    guard old.allowed != new.allowed else { return [] }
    let before = old.allowed ?? allowed
    let after = new.allowed ?? allowed
    return Change.mask("allowed.cr0", before.cr0, after.cr0, vcpu: index)
      + Change.mask("allowed.cr4", before.cr4, after.cr4, vcpu: index)
  }
}
