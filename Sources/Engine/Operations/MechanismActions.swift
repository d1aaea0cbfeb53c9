/// Actions that exist for the rival designs: switching design, Heki's hypercall, VTL1's setup.
extension VirtualMachine {
  /// `option mechanism NAME`: takes effect at once on the whole VM; every design's pins and
  /// intercepts are cleared and none are set — only later statements pin.
  mutating func switchMechanism(to mechanism: Mechanism, into outcome: inout Outcome) {
    options.mechanism = mechanism
    clearEveryMechanism()
    outcome.notes.append(
      "Mechanism \(mechanism.rawValue): \(mechanism.summary). Every pin and intercept was "
        + "cleared; `boot`, the MSRs, the hypercall or `vtl1 intercept` set new ones.")
  }

  /// `KVM_HC_LOCK_CR_UPDATE`. Errors come back in RAX, not as faults; KVM truncates the return
  /// value to 32 bits when the guest is not in 64-bit mode.
  mutating func lockCRHypercall(
    cr: UInt64, bits: UInt64, flags: UInt64, on index: Int, into outcome: inout Outcome
  ) {
    var rax: UInt64
    if options.pinning == .heki {
      let result = HekiPinning.lock(
        cr: cr, bits: bits, flags: flags, locks: hekiLocks,
        host: PinPair(cr0: options.hostCR0, cr4: options.hostCR4))
      hekiLocks = result.locks
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

  /// VTL1 sets which bits of CR0/CR4 it intercepts on this vCPU.
  mutating func setVTL1Intercept(
    _ register: PinnableRegister, _ mask: UInt64, on index: Int, into outcome: inout Outcome
  ) {
    guard requireVTL1(into: &outcome) else { return }
    vcpus[index].vtl1Intercept[register] = mask
  }

  /// VTL1's policy for intercepted writes (VM-wide).
  mutating func setVTL1Policy(_ policy: VTL1Policy, into outcome: inout Outcome) {
    guard requireVTL1(into: &outcome) else { return }
    vtl1Policy = policy
    if policy != .drop {
      outcome.notes.append(
        "Policy \(policy.rawValue) is a what-if: LVBS's first driver drops the write; neither "
          + "source has a VTL1 that injects #GP or allows and logs.")
    }
  }

  private func requireVTL1(into outcome: inout Outcome) -> Bool {
    guard options.pinning == .vtl1 else {
      outcome.fail(
        .rejected, .noVTL1,
        "There is no VTL1 under mechanism \(options.mechanism.rawValue): "
          + "`option mechanism vtl1` first.")
      return false
    }
    return true
  }
}
