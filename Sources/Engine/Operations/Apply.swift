extension VirtualMachine {
  /// Performs `action` on vCPU `index` and returns what happened. A refused action changes
  /// nothing (except where KVM itself leaves partial state, as a failed RSM does).
  ///
  /// Inlinable, so that the outcome is built where the caller keeps it: returned from a
  /// function of its own, it was copied into the return slot and the local destroyed (a
  /// retain and a release of everything it holds).
  @discardableResult
  @inlinable
  public mutating func apply(_ action: Action, on index: Int) -> Outcome {
    var outcome = Outcome(before: self, action: action, index: index)
    perform(action, on: index, completing: &outcome)
    return outcome
  }

  /// `apply`'s work on `outcome`, which starts as `Outcome(before:action:index:)`: the action
  /// performed (or refused), then the VM after it.
  @usableFromInline
  mutating func perform(_ action: Action, on index: Int, completing outcome: inout Outcome) {
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
  ///
  /// Inlinable: a guest MOV to CR4 that only KVM's checks and the patch's masks can refuse is
  /// decided where `step` is called (`plainMovCR4`), as the C reference's loop decides it.
  @inlinable @inline(__always)
  public mutating func step(_ action: Action, on index: Int) -> OutcomeKind {
    guard case .mov(.cr4, let value) = action else { return stepAny(action, on: index) }
    return plainMovCR4(value, on: index) ?? stepMovCR4(value, on: index)
  }

  /// `step` for a guest MOV to CR4 the plain path left to the general one. Out of line, and
  /// handed the value rather than the action, so that the loop `step` is inlined into keeps no
  /// action in its registers for a call it seldom makes.
  @usableFromInline @inline(never)
  mutating func stepMovCR4(_ value: UInt64, on index: Int) -> OutcomeKind {
    stepAny(.mov(.cr4, value), on: index)
  }

  /// `step` for any action.
  @usableFromInline
  mutating func stepAny(_ action: Action, on index: Int) -> OutcomeKind {
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

  /// `setCR4`'s verdict and store for a guest MOV on a vCPU that has run, when nothing but
  /// KVM's own checks and the patch's masks can apply (`plainCR4Gate`: the VM runs, the design
  /// `checksOnlyEffectivePins`, no CR4 bit is guest-owned, KVM makes no CET/WP check). `nil`:
  /// the general path decides (also for any MOV on a vCPU that has not run yet, which the
  /// general path marks as run). The same checks as `setCR4` (the property tests hold `step`
  /// equal to `apply`), with nothing read that cannot change the verdict: the `kvm_set_cr4` the
  /// C reference models. An accepted MOV stores only into the VM's own bytes (`VCPUs.cr4s`), as
  /// the C reference stores into its struct. The bits are literals (`PlainBits`, checked by a
  /// test) so that the inlined code reads no global.
  @inlinable @inline(__always)
  mutating func plainMovCR4(_ cr4: UInt64, on index: Int) -> OutcomeKind? {
    guard index >= 0, index < vcpuStorage.rest.count, plainCR4Gate.isOpen,
      vcpuStorage.rest[index].hasRunSinceReset
    else { return nil }
    guard plainMovCR4IsAccepted(cr4, on: index) else { return .gp }
    vcpuStorage.cr4s[index] = cr4
    return .ok
  }

  /// `plainMovCR4`'s decision, under `plainCR4Gate`, for vCPU `index` (which exists).
  @inlinable @inline(__always)
  func plainMovCR4IsAccepted(_ cr4: UInt64, on index: Int) -> Bool {
    let pins = storage.plainCR4Pins(on: index)
    let old = vcpuStorage.rest[index]
    let oldCR4 = vcpuStorage.cr4s[index]
    let inSMM = old.smm != nil
    let features = plainCR4Gate.cpuFeatures
    if cr4 & plainCR4Gate.refusedCR4 != 0 { return false }
    if !inSMM, !old.nested.inL2, cr4 & pins.high != pins.high || cr4 & pins.low != 0 {
      return false
    }
    let longMode = old.registers.efer & PlainBits.eferLMA != 0
    if longMode, cr4 & PlainBits.pae == 0 { return false }
    if cr4 & PlainBits.pcide != 0, oldCR4 & PlainBits.pcide == 0 {
      if features & PlainBits.pcidFeature == 0 || old.registers.cr3 & PlainBits.cr3PCID != 0
        || !longMode
      {
        return false
      }
    }
    // KVM's CET/WP check is not here: `plainCR4Gate` is closed where KVM makes it.
    return cr4 & PlainBits.vmxe == 0 || features & PlainBits.vmxFeature != 0 && !inSMM
  }

  /// `apply`'s verdict, for the actions `step` has no shorter path for (kept out of line so that
  /// `step`'s hot cases do not pay for an outcome's stack space).
  @inline(never)
  private mutating func kindOfApplying(_ action: Action, on index: Int) -> OutcomeKind {
    apply(action, on: index).kind
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

/// The bits `VirtualMachine.plainMovCR4` tests, as literals: `CR4.pae`, `CR4.pcide`,
/// `CR4.vmxe`, `EFERBits.lma`, `CR3.pcid` and the `CPUFeatureSet` bits of PCID and VMX (a test
/// holds them equal).
@usableFromInline
enum PlainBits {
  @inlinable static var pae: UInt64 { 1 << 5 }
  @inlinable static var vmxe: UInt64 { 1 << 13 }
  @inlinable static var pcide: UInt64 { 1 << 17 }
  @inlinable static var eferLMA: UInt64 { 1 << 10 }
  @inlinable static var cr3PCID: UInt64 { 0xfff }
  @inlinable static var pcidFeature: UInt16 { 1 << 4 }
  @inlinable static var vmxFeature: UInt16 { 1 << 2 }
}
