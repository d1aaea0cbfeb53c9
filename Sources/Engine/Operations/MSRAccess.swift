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
    let pinning = options.pinning
    guard pinning.handles(msr: number) else {
      outcome.fail(failure, .msrUnknown, unknownMSRMessage(number, hostInitiated: hostInitiated))
      return
    }
    if !hostInitiated, !options.cpuidPin {
      outcome.notes.append(Discrepancy.d4.note)
    }
    let hits = pinning.write(msr: number, data: data, hostInitiated: hostInitiated, vcpu: &vcpus[index])
    if hits.isEmpty, hostInitiated, number != MSRNumber.cr0PinAllowed,
      number != MSRNumber.cr4PinAllowed
    {
      outcome.notes.append("The VMM is trusted: a host write may clear or change pins at any time.")
    }
    for hit in hits { outcome.fail(failure, hit.id, hit.message) }
  }

  mutating func readMSR(
    _ number: UInt32, hostInitiated: Bool, on index: Int, into outcome: inout Outcome
  ) {
    if number == MSRNumber.efer {
      outcome.value = vcpus[index].registers.efer
      return
    }
    let pinning = options.pinning
    guard pinning.handles(msr: number) else {
      outcome.fail(
        hostInitiated ? .rejected : .gp, .msrUnknown,
        unknownMSRMessage(number, hostInitiated: hostInitiated))
      return
    }
    outcome.value = pinning.read(msr: number, vcpu: vcpus[index])
    if !hostInitiated, number != MSRNumber.cr0PinAllowed, number != MSRNumber.cr4PinAllowed {
      outcome.notes.append(Discrepancy.d2.note)
    }
  }

  private func unknownMSRMessage(_ number: UInt32, hostInitiated: Bool) -> String {
    let consequence = hostInitiated ? "KVM_SET_MSRS/KVM_GET_MSRS refuses it" : "the guest takes #GP"
    if KVM2020Pinning.msrs.contains(number) {
      return "MSR \(Hex.short(UInt64(number))) (\(MSRCatalog.displayName(number))) is unknown to "
        + "this KVM: it runs without the pinning patch (option kvm-pin off), so \(consequence)."
    }
    return "MSR \(Hex.short(UInt64(number))) is unknown here (crpin models EFER and the pin "
      + "MSRs only), so \(consequence)."
  }
}
