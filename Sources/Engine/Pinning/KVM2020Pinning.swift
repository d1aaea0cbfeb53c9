/// The seed patch's mechanism ("KVM: x86: Introduce paravirt feature CR0/CR4 pinning",
/// June 2020), rule for rule as its code does it.
enum KVM2020Pinning {
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
  static func write<Report: WriteReport>(
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
  static func check<Report: WriteReport>(
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
  static func postRSMViolations(_ registers: Registers, pins: PinMasks) -> [RuleHit] {
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
