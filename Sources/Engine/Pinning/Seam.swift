/// The seam: every place the engine touches pins calls one of these, which dispatch on the
/// design in force. Nothing else in the engine knows which design runs.
extension VirtualMachine {
  /// The bits of `register` a guest on vCPU `index` may pin now.
  public func pinAllowed(_ register: PinnableRegister, on index: Int) -> UInt64 {
    vcpus[index].pinAllowed?[register] ?? options.pinning.allowed(register)
  }

  /// The pins in force on vCPU `index` as high/low masks, whatever the design stores: what the
  /// UI and traces show. kvm-rfc2 holds allowed bits outside its mask low once it is non-zero;
  /// heki's per-VM locks are high on every vCPU; vtl1's intercepts are not pins.
  public func effectivePins(on index: Int) -> PinMasks {
    let vcpu = vcpus[index]
    switch options.pinning {
    case .kvm2020: return vcpu.pins
    case .kvmRFC2:
      let pinned = vcpu.rfc2Pinned
      let allowed = KVMRFC2Pinning.allowed
      return PinMasks(
        cr0Low: pinned.cr0 == 0 ? 0 : allowed.cr0 & ~pinned.cr0, cr0High: pinned.cr0,
        cr4Low: pinned.cr4 == 0 ? 0 : allowed.cr4 & ~pinned.cr4, cr4High: pinned.cr4)
    case .heki: return PinMasks(cr0High: hekiLocks.cr0, cr4High: hekiLocks.cr4)
    case .vtl1, .absent: return .none
    }
  }

  /// Checks a guest instruction's CR write before KVM's own checks: Heki's locks (every mode)
  /// and VTL1's intercepts.
  @inline(__always)
  func interceptInstruction<Report: WriteReport>(
    _ register: PinnableRegister, value: UInt64, on index: Int, into result: inout Report
  ) {
    switch options.pinning {
    case .heki:
      HekiPinning.check(register, value: value, locks: hekiLocks, into: &result)
    case .vtl1:
      let vcpu = vcpus[index]
      VTL1Intercepts.check(
        register, old: vcpu.registers[register.controlRegister.register], value: value,
        mask: vcpu.vtl1Intercept[register], policy: vtl1Policy, into: &result)
    case .kvm2020, .kvmRFC2, .absent:
      break
    }
  }

  /// The pin check inside `kvm_set_cr0/cr4` (kvm-2020 skips SMM and L2; kvm-rfc2 skips SMM).
  /// When kvm-2020 exempts a write (SMM, L2) that would have broken the pins, a note says so.
  @inline(__always)
  func checkPins<Report: WriteReport>(
    _ register: PinnableRegister, value: UInt64, on index: Int, into result: inout Report
  ) {
    switch options.pinning {
    case .kvm2020:
      let vcpu = vcpus[index]
      guard vcpu.inSMM || vcpu.inL2 else {
        KVM2020Pinning.check(register, value: value, pins: vcpu.pins, into: &result)
        return
      }
      guard Report.explains else { return }
      var outside = WriteVerdict()
      KVM2020Pinning.check(register, value: value, pins: vcpu.pins, into: &outside)
      guard outside.refused else { return }
      result.note(
        vcpu.inSMM
          ? "In SMM the patch skips the pin check: outside SMM this \(register.displayName) write would #GP."
          : "While L2 runs the patch skips the pin check (the pins are L1's): from L1 this "
            + "\(register.displayName) write would #GP.")
    case .kvmRFC2:
      KVMRFC2Pinning.check(register, value: value, vcpu: vcpus[index], into: &result)
    case .heki, .vtl1, .absent:
      break
    }
  }

  /// Reads a pin MSR the design handles.
  func readPinMSR(_ number: UInt32, on index: Int) -> UInt64 {
    let vcpu = vcpus[index]
    switch options.pinning {
    case .kvm2020:
      return KVM2020Pinning.read(
        msr: number, pins: vcpu.pins,
        allowed: vcpu.pinAllowed ?? KVM2020Pinning.allowed)
    case .kvmRFC2:
      return KVMRFC2Pinning.read(msr: number, pinned: vcpu.rfc2Pinned)
    case .heki, .vtl1, .absent:
      return 0
    }
  }

  /// Writes a pin MSR the design handles; returns what refused it and what to tell.
  mutating func writePinMSR<Report: WriteReport>(
    _ number: UInt32, _ data: UInt64, hostInitiated: Bool, on index: Int
  ) -> Report {
    var result = Report()
    switch options.pinning {
    case .kvm2020:
      if hostInitiated, options.allowedWritable,
        number == MSRNumber.cr0PinAllowed || number == MSRNumber.cr4PinAllowed
      {
        writeAllowedMask(number == MSRNumber.cr0PinAllowed ? .cr0 : .cr4, data, on: index, into: &result)
        return result
      }
      // On a copy, stored back only when it changed: a refused write (the common case in a
      // replay) then never pays for `vcpus`' uniqueness check.
      var pins = vcpus[index].pins
      KVM2020Pinning.write(
        msr: number, data: data, hostInitiated: hostInitiated, pins: &pins,
        allowed: vcpus[index].pinAllowed ?? KVM2020Pinning.allowed, into: &result)
      if pins != vcpus[index].pins { vcpus[index].pins = pins }
    case .kvmRFC2:
      var pinned = vcpus[index].rfc2Pinned
      KVMRFC2Pinning.write(
        msr: number, data: data, hostInitiated: hostInitiated, pinned: &pinned, into: &result)
      if pinned != vcpus[index].rfc2Pinned { vcpus[index].rfc2Pinned = pinned }
    case .heki, .vtl1, .absent:
      break
    }
    return result
  }

  /// Policy `allowed-writable`: the VMM sets the allowed mask to any bits the CPU model has.
  private mutating func writeAllowedMask<Report: WriteReport>(
    _ register: PinnableRegister, _ data: UInt64, on index: Int, into result: inout Report
  ) {
    let supported = register == .cr0 ? CR0.defined : CR4.knownToKVM & ~options.cpu.reservedCR4
    let unsupported = data & ~supported
    guard unsupported == 0 else {
      result.fail(
        .msrPinAllowedUnsupported,
        "\(BitList.labels(unsupported, register)) cannot be allowed: this CPU model lacks "
          + "\(unsupported.nonzeroBitCount == 1 ? "it" : "them").")
      return
    }
    var allowed = vcpus[index].pinAllowed ?? KVM2020Pinning.allowed
    allowed[register] = data
    vcpus[index].pinAllowed = allowed
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

  /// The check after RSM has restored CR0/CR4 (kvm-2020's `emulator_post_leave_smm`).
  func postRSMViolations(on index: Int) -> [RuleHit] {
    guard options.pinning == .kvm2020 else { return [] }
    return KVM2020Pinning.postRSMViolations(vcpus[index].registers, pins: vcpus[index].pins)
  }

  /// The SMRAM image KVM restores from: kvm-rfc2 rewrites its copy to carry the pins.
  func rsmImage(_ image: Registers, on index: Int, into outcome: inout Outcome) -> Registers {
    guard options.pinning == .kvmRFC2 else { return image }
    let rewritten = KVMRFC2Pinning.rewrite(image, pinned: vcpus[index].rfc2Pinned)
    for register in PinnableRegister.allCases {
      let old = image[register.controlRegister.register]
      let new = rewritten[register.controlRegister.register]
      guard old != new else { continue }
      outcome.notes.append(
        "kvm-rfc2 rewrote KVM's copy of the save area before the restore: \(register.displayName) "
          + "\(Hex.short(old)) → \(Hex.short(new)). The guest's SMRAM keeps the tampered value; "
          + "nothing faults.")
    }
    return rewritten
  }

  /// The value KVM loads into L1's CR0/CR4 on VM-exit from the vmcs12 host field.
  func vmExitValue(_ register: PinnableRegister, host: UInt64, on index: Int) -> UInt64 {
    let pins = vcpus[index].pins
    switch options.pinning {
    case .kvm2020: return (host | pins.high(register)) & ~pins.low(register)
    case .kvmRFC2, .heki, .vtl1, .absent: return host
    }
  }

  /// What a vCPU reset or INIT keeps of the pin state (`kvm_vcpu_reset` clears kvm-2020's and
  /// kvm-rfc2's masks; `init-keeps-pins` keeps kvm-2020's; Heki's per-VM locks and VTL1's
  /// intercepts are not touched).
  func pinStateKeptAcrossReset(_ old: VCPU, into vcpu: inout VCPU) {
    // VTL1 set these up; a reset of VTL0's vCPU leaves them (LVBS would have to re-arm or
    // relax them for bring-up — with CR4 fully intercepted, real-mode start-up is dropped).
    vcpu.vtl1Intercept = old.vtl1Intercept
    vcpu.pinAllowed = old.pinAllowed
    if options.pinning == .kvm2020, options.initKeepsPins { vcpu.pins = old.pins }
  }

  /// `option mechanism`: every design's pins and intercepts are cleared; none are set.
  mutating func clearEveryMechanism() {
    for index in vcpus.indices {
      vcpus[index].pins = .none
      vcpus[index].rfc2Pinned = .zero
      vcpus[index].vtl1Intercept = .zero
      vcpus[index].pinAllowed = nil
    }
    hekiLocks = .zero
  }

  /// Migration without the pin state: the hypervisor's pins are gone on the destination.
  /// VTL1's intercepts are partition state and travel with it. Returns whether anything was lost.
  mutating func dropHypervisorPins() -> Bool {
    let had = vcpus.contains { !$0.pins.isEmpty || !$0.rfc2Pinned.isZero } || !hekiLocks.isZero
    for index in vcpus.indices {
      vcpus[index].pins = .none
      vcpus[index].rfc2Pinned = .zero
    }
    hekiLocks = .zero
    return had
  }
}
