/// RDMSR/WRMSR by the guest, and KVM_GET_MSRS/KVM_SET_MSRS by the VMM ("host-initiated").
/// A guest failure is #GP; a host failure is `rejected` (the ioctl reports the MSR as not set).
extension VirtualMachine {
  mutating func writeMSR(
    _ number: UInt32, _ data: UInt64, hostInitiated: Bool, on index: Int,
    into outcome: inout Outcome
  ) {
    let failure: OutcomeKind = hostInitiated ? .rejected : .gp
    if number == MSRNumber.efer {
      outcome.absorb(setEFER(data, hostInitiated: hostInitiated, on: index), failure: failure)
      return
    }
    noteOtherMeaning(of: number, into: &outcome)
    guard pinMSRReachable(number, hostInitiated: hostInitiated, into: &outcome, failure: failure)
    else { return }
    let result: CheckedWrite = writePinMSR(number, data, hostInitiated: hostInitiated, on: index)
    if result.succeeded, hostInitiated, !isAllowedMSR(number) {
      outcome.notes.append("The VMM is trusted: a host write may clear or change pins at any time.")
    }
    outcome.absorb(result, failure: failure)
  }

  mutating func readMSR(
    _ number: UInt32, hostInitiated: Bool, on index: Int, into outcome: inout Outcome
  ) {
    if number == MSRNumber.efer {
      outcome.value = vcpus[index].registers.efer
      return
    }
    noteOtherMeaning(of: number, into: &outcome)
    let failure: OutcomeKind = hostInitiated ? .rejected : .gp
    guard pinMSRReachable(number, hostInitiated: hostInitiated, into: &outcome, failure: failure)
    else { return }
    outcome.value = readPinMSR(number, on: index)
    if !hostInitiated, !isAllowedMSR(number) {
      outcome.notes.append(Discrepancy.d2.note)
    }
  }

  /// Whether the design implements the MSR and, for the guest, whether CPUID gates it; fails
  /// the outcome otherwise.
  private func pinMSRReachable(
    _ number: UInt32, hostInitiated: Bool, into outcome: inout Outcome, failure: OutcomeKind
  ) -> Bool {
    guard options.pinning.handles(msr: number) else {
      outcome.fail(failure, .msrUnknown, unknownMSRMessage(number, hostInitiated: hostInitiated))
      return false
    }
    guard !hostInitiated, !options.cpuidPin else { return true }
    if options.enforcePVCPUID {
      outcome.fail(
        .gp, .msrPVCPUIDEnforced,
        "CPUID hides KVM_FEATURE_CR_PIN and KVM enforces PV CPUID bits: the pin MSRs #GP.")
      return false
    }
    outcome.notes.append(Discrepancy.d4.note)
    return true
  }

  private func isAllowedMSR(_ number: UInt32) -> Bool {
    switch options.pinning {
    case .kvmRFC2: number == KVMRFC2Pinning.cr0PinAllowed || number == KVMRFC2Pinning.cr4PinAllowed
    default: number == MSRNumber.cr0PinAllowed || number == MSRNumber.cr4PinAllowed
    }
  }

  /// 0x4b564d08/09 are the allowed MSRs in kvm-2020 but the pinned MSRs in kvm-rfc2.
  private func noteOtherMeaning(of number: UInt32, into outcome: inout Outcome) {
    guard number == MSRNumber.cr0PinAllowed || number == MSRNumber.cr4PinAllowed else { return }
    let register = number == MSRNumber.cr0PinAllowed ? "CR0" : "CR4"
    switch options.mechanism {
    case .kvm2020:
      outcome.notes.append(
        "\(Hex.short(UInt64(number))) is \(register)_PIN_ALLOWED here (kvm-2020); under the "
          + "February 2020 draft (kvm-rfc2) it was \(register)_PINNED.")
    case .kvmRFC2:
      outcome.notes.append(
        "\(Hex.short(UInt64(number))) is \(register)_PINNED under kvm-rfc2; in the June 2020 "
          + "patch (kvm-2020) it is \(register)_PIN_ALLOWED.")
    default: break
    }
  }

  private func unknownMSRMessage(_ number: UInt32, hostInitiated: Bool) -> String {
    let consequence = hostInitiated ? "KVM_SET_MSRS/KVM_GET_MSRS refuses it" : "the guest takes #GP"
    if KVM2020Pinning.isPatchMSR(number) || KVMRFC2Pinning.isDraftMSR(number) {
      return "MSR \(Hex.short(UInt64(number))) is unknown to this hypervisor: the pinning "
        + "design in force (\(options.pinning.rawValue)) has no such MSR, so \(consequence)."
    }
    return "MSR \(Hex.short(UInt64(number))) is unknown here (crpin models EFER and the pin "
      + "MSRs only), so \(consequence)."
  }
}
