/// The pinning design KVM runs: the one seam where pins are set through MSRs, checked on a
/// control-register write, checked after RSM, forced on VM-exit and cleared on reset.
///
/// Every part of the engine that touches pins calls through here and nowhere else, so another
/// design (the 2020 RFC, Heki's hypercall, Hyper-V intercepts) slots in as one more case with
/// its own file, beside `KVM2020Pinning`.
public enum PinningDesign: String, CaseIterable, Sendable {
  /// The seed patch (June 2020): six MSRs, per-vCPU high/low masks.
  case kvm2020 = "kvm-2020"
  /// KVM without the patch: no pin MSRs, no checks.
  case absent = "none"

  /// Whether this design implements MSR `number` (otherwise it is unknown to KVM).
  public func handles(msr number: UInt32) -> Bool {
    switch self {
    case .kvm2020: KVM2020Pinning.msrs.contains(number)
    case .absent: false
    }
  }

  /// The value a read of pin MSR `number` returns (guest and host alike).
  func read(msr number: UInt32, vcpu: VCPU) -> UInt64 {
    switch self {
    case .kvm2020: KVM2020Pinning.read(msr: number, pins: vcpu.pins)
    case .absent: 0
    }
  }

  /// Writes pin MSR `number`; returns the rules that refused it (empty: done).
  func write(msr number: UInt32, data: UInt64, hostInitiated: Bool, vcpu: inout VCPU) -> [RuleHit] {
    switch self {
    case .kvm2020:
      KVM2020Pinning.write(msr: number, data: data, hostInitiated: hostInitiated, pins: &vcpu.pins)
    case .absent: []
    }
  }

  /// The pin check inside `kvm_set_cr0/cr4` for a write of `value`.
  func writeViolations(_ register: PinnableRegister, value: UInt64, vcpu: VCPU) -> [RuleHit] {
    switch self {
    case .kvm2020:
      // The patch skips the check in SMM and while L2 runs.
      vcpu.inSMM || vcpu.inL2 ? [] : KVM2020Pinning.violations(register, value: value, pins: vcpu.pins)
    case .absent: []
    }
  }

  /// The check after RSM has restored CR0/CR4 (`emulator_post_leave_smm`).
  func postRSMViolations(vcpu: VCPU) -> [RuleHit] {
    switch self {
    case .kvm2020: KVM2020Pinning.postRSMViolations(vcpu.registers, pins: vcpu.pins)
    case .absent: []
    }
  }

  /// The value KVM loads into L1's CR0/CR4 on VM-exit from the vmcs12 host field.
  func vmExitValue(_ register: PinnableRegister, host: UInt64, vcpu: VCPU) -> UInt64 {
    switch self {
    case .kvm2020:
      (host | vcpu.pins.high(register)) & ~vcpu.pins.low(register)
    case .absent: host
    }
  }

  /// Clears the pins on vCPU reset and INIT (`kvm_vcpu_reset`).
  func reset(_ vcpu: inout VCPU) {
    switch self {
    case .kvm2020, .absent: vcpu.pins = .none
    }
  }

  /// The bits of `register` this design lets a guest pin.
  public func allowed(_ register: PinnableRegister) -> UInt64 {
    switch self {
    case .kvm2020: KVM2020Pinning.allowed(register)
    case .absent: 0
    }
  }
}

extension PinningDesign {
  /// When the design exempts this write from its check (SMM, L2) but the value would have
  /// broken the pins, a note saying so; otherwise `nil`.
  func exemptionNote(_ register: PinnableRegister, value: UInt64, vcpu: VCPU) -> String? {
    guard self == .kvm2020, vcpu.inSMM || vcpu.inL2 else { return nil }
    let wouldFire = KVM2020Pinning.violations(register, value: value, pins: vcpu.pins)
    guard !wouldFire.isEmpty else { return nil }
    return vcpu.inSMM
      ? "In SMM the patch skips the pin check: outside SMM this \(register.displayName) write would #GP."
      : "While L2 runs the patch skips the pin check (the pins are L1's): from L1 this "
        + "\(register.displayName) write would #GP."
  }
}
