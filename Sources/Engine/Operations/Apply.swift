extension VirtualMachine {
  /// Performs `action` on vCPU `index` and returns what happened. A refused action changes
  /// nothing (except where KVM itself leaves partial state, as a failed RSM does).
  @discardableResult
  public mutating func apply(_ action: Action, on index: Int) -> Outcome {
    var outcome = Outcome(before: self, action: action, index: index)
    if !vcpus.indices.contains(index) {
      outcome.fail(
        .rejected, .noSuchVCPU,
        "There is no vCPU \(index): this VM has \(vcpus.count) (0-\(vcpus.count - 1)).")
    } else if stopped, action.isGuestAction {
      outcome.fail(
        .stopped, .vmStopped,
        "The VM is stopped after KVM exited to the VMM with an error: nothing runs until "
          + "reset, boot or reboot.")
    } else {
      perform(action, on: index, into: &outcome)
      // Written only when it changes: a write to `vcpus` costs a uniqueness check.
      if action.isGuestAction { markRun(index) }
      if options.beyondFacts { outcome.notes.append(VMOptions.beyondFactsNote) }
    }
    outcome.after = self
    return outcome
  }

  /// What `apply` would return, without changing anything.
  public func preview(_ action: Action, on index: Int) -> Outcome {
    var copy = self
    return copy.apply(action, on: index)
  }

  mutating func perform(_ action: Action, on index: Int, into outcome: inout Outcome) {
    switch action {
    case .mov(let register, let value):
      let result: CheckedWrite = write(register, value, on: index)
      outcome.absorb(result, failure: .gp)
    case .kernelWrite(let register, let value):
      kernelWrite(register, value, on: index, into: &outcome)
    case .wrmsr(let msr, let value):
      writeMSR(msr, value, hostInitiated: false, on: index, into: &outcome)
    case .rdmsr(let msr):
      readMSR(msr, hostInitiated: false, on: index, into: &outcome)
    case .hostWrmsr(let msr, let value):
      writeMSR(msr, value, hostInitiated: true, on: index, into: &outcome)
    case .hostRdmsr(let msr):
      readMSR(msr, hostInitiated: true, on: index, into: &outcome)
    case .smi: systemManagementInterrupt(on: index, into: &outcome)
    case .rsm: resumeFromSMM(on: index, into: &outcome)
    case .smram(let register, let value): editSMRAM(register, value, on: index, into: &outcome)
    case .vmcs12(let field, let value): writeVMCS12(field, value, on: index, into: &outcome)
    case .vmentry: enterL2(on: index, into: &outcome)
    case .vmexit: exitToL1(on: index, into: &outcome)
    case .reset: reset(index, into: &outcome)
    case .reboot(let keepPins): reboot(keepPins: keepPins, into: &outcome)
    case .migrate(let dropPins): migrate(dropPins: dropPins, into: &outcome)
    case .boot: boot(on: index, into: &outcome)
    case .kexec: kexec(on: index, into: &outcome)
    case .option(let name, let on): setOption(name, on, into: &outcome)
    case .mechanism(let mechanism): switchMechanism(to: mechanism, into: &outcome)
    case .hostCR(let register, let value):
      if register == .cr0 { options.hostCR0 = value } else { options.hostCR4 = value }
    case .hypercallLockCR(let cr, let bits, let flags):
      lockCRHypercall(cr: cr, bits: bits, flags: flags, on: index, into: &outcome)
    case .vtl1Intercept(let register, let mask):
      setVTL1Intercept(register, mask, on: index, into: &outcome)
    case .vtl1Policy(let policy): setVTL1Policy(policy, into: &outcome)
    case .execUser: executeUserPage(on: index, into: &outcome)
    case .accessUser: accessUserPage(on: index, into: &outcome)
    case .stac: setAC(true, on: index, into: &outcome)
    case .clac: setAC(false, on: index, into: &outcome)
    case .hostSregs(let cr0, let cr3, let cr4, let efer):
      setSregs(cr0: cr0, cr3: cr3, cr4: cr4, efer: efer, on: index, into: &outcome)
    case .kernelVersion(let version): switchKernel(to: version, into: &outcome)
    case .kvmVersion(let version): switchKVM(to: version, into: &outcome)
    case .hostCPUID(let feature, let present): setCPUID(feature, present: present, into: &outcome)
    }
  }
}

extension VirtualMachine {
  /// What `apply` decides, without the explanation: the same checks and the same change of
  /// state, only the verdict. Control-register MOVs, EFER and pin-MSR accesses run the very
  /// checks `apply` runs, reporting into a `WriteVerdict` instead of a `CheckedWrite` (see
  /// `WriteReport`): no outcome, no rule, no sentence — the hot path of replays and benchmarks.
  /// Every other action goes through `apply`.
  public mutating func step(_ action: Action, on index: Int) -> OutcomeKind {
    guard vcpus.indices.contains(index) else { return .rejected }
    if stopped, action.isGuestAction { return .stopped }
    switch action {
    case .mov(let register, let value):
      markRun(index)
      if register == .cr4, let kind = plainMovCR4(value, on: index) { return kind }
      let result: WriteVerdict = write(register, value, on: index)
      return result.kind(failure: .gp)
    case .wrmsr(let number, let value):
      markRun(index)
      return stepMSRWrite(number, value, hostInitiated: false, on: index)
    case .hostWrmsr(let number, let value):
      return stepMSRWrite(number, value, hostInitiated: true, on: index)
    case .rdmsr(let number):
      markRun(index)
      return stepMSRRead(number, hostInitiated: false)
    case .hostRdmsr(let number):
      return stepMSRRead(number, hostInitiated: true)
    default:
      return kindOfApplying(action, on: index)
    }
  }

  /// `apply`'s verdict, for the actions `step` has no shorter path for (kept out of line so that
  /// `step`'s hot cases do not pay for an outcome's stack space).
  @inline(never)
  private mutating func kindOfApplying(_ action: Action, on index: Int) -> OutcomeKind {
    apply(action, on: index).kind
  }

  /// `setCR4`'s verdict and store for a guest MOV, when nothing but KVM's own checks and the
  /// patch's masks can apply: the design `checksOnlyEffectivePins` (its masks kept beside its
  /// state) and no CR4 bit is guest-owned. `nil`: the general path decides. The same checks as
  /// `setCR4` in the same terms (the property tests hold `step` equal to `apply`), with nothing
  /// read that cannot change the verdict: the `kvm_set_cr4` the C reference models.
  @inline(__always)
  private mutating func plainMovCR4(_ cr4: UInt64, on index: Int) -> OutcomeKind? {
    guard options.nonExitingCR4 == 0, let pins = designStorage.plainCR4Pins(on: index) else { return nil }
    let old = vcpus[index].registers
    let inSMM = vcpus[index].smm != nil
    let known = options.knownCR4
    if cr4 & (~known | options.cpu.featureGatedCR4) != 0 { return .gp }
    if !inSMM, !vcpus[index].nested.inL2, cr4 & pins.high != pins.high || cr4 & pins.low != 0 {
      return .gp
    }
    let longMode = old.longMode
    if longMode, cr4 & CR4.pae == 0 { return .gp }
    if cr4 & CR4.pcide != 0, old.cr4 & CR4.pcide == 0 {
      if !options.cpu.has(.pcid) || old.cr3 & CR3.pcid != 0 || !longMode { return .gp }
    }
    if options.kvmChecksCETAndWP, cr4 & CR4.cet != 0, old.cr0 & CR0.wp == 0 { return .gp }
    if cr4 & CR4.vmxe != 0, !options.cpu.has(.vmx) || inSMM { return .gp }
    vcpus[index].registers.cr4 = cr4
    return .ok
  }

  /// The guest ran an instruction on vCPU `index` (written only when it changes: a write to
  /// `vcpus` costs a uniqueness check).
  private mutating func markRun(_ index: Int) {
    if !vcpus[index].hasRunSinceReset { vcpus[index].hasRunSinceReset = true }
  }

  /// `readMSR`'s verdict: a read changes nothing, it only succeeds or not.
  private func stepMSRRead(_ number: UInt32, hostInitiated: Bool) -> OutcomeKind {
    if number == MSRNumber.efer { return .ok }
    guard designHandles(msr: number) else { return hostInitiated ? .rejected : .gp }
    if !hostInitiated, !options.cpuidPin, options.enforcePVCPUID { return .gp }
    return .ok
  }

  /// `writeMSR` without notes: the same reachability rules, the same checked write.
  private mutating func stepMSRWrite(
    _ number: UInt32, _ data: UInt64, hostInitiated: Bool, on index: Int
  ) -> OutcomeKind {
    let failure: OutcomeKind = hostInitiated ? .rejected : .gp
    if number == MSRNumber.efer {
      let result: WriteVerdict = setEFER(data, hostInitiated: hostInitiated, on: index)
      return result.kind(failure: failure)
    }
    guard designHandles(msr: number) else { return failure }
    if !hostInitiated, !options.cpuidPin, options.enforcePVCPUID { return .gp }
    let result: WriteVerdict = writePinMSR(number, data, hostInitiated: hostInitiated, on: index)
    return result.kind(failure: failure)
  }
}
