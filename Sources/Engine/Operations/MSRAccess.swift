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
    guard designHandles(msr: number) else {
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

  /// What the number means under another design, as the mechanism's design tells (kvm-2020's
  /// allowed MSRs 0x4b564d08/09 are kvm-rfc2's pinned MSRs).
  private func noteOtherMeaning(of number: UInt32, into outcome: inout Outcome) {
    if let note = options.mechanism.rules?.otherMeaning(of: number) { outcome.notes.append(note) }
  }

  private func unknownMSRMessage(_ number: UInt32, hostInitiated: Bool) -> String {
    let consequence = hostInitiated ? "KVM_SET_MSRS/KVM_GET_MSRS refuses it" : "the guest takes #GP"
    if DesignState.registered.contains(where: { $0.handles(msr: number) }) {
      return "MSR \(Hex.short(UInt64(number))) is unknown to this hypervisor: the pinning "
        + "design in force (\(designName)) has no such MSR, so \(consequence)."
    }
    return "MSR \(Hex.short(UInt64(number))) is unknown here (crpin models EFER and the pin "
      + "MSRs only), so \(consequence)."
  }
}
