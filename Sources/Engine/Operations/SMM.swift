/// SMI and RSM as KVM 5.8 emulates them (`enter_smm`, `em_rsm`) with the patch's post-RSM check.
extension VirtualMachine {
  /// `enter_smm`: save CR0/CR3/CR4/EFER to SMRAM (L2's if L2 runs), leave guest mode through a
  /// VM-exit to L1 if needed, then enter SMM: CR0 loses PE, EM, TS and PG; CR4 and EFER become 0.
  mutating func systemManagementInterrupt(on index: Int, into outcome: inout Outcome) {
    guard !vcpus[index].inSMM else {
      outcome.notes.append(
        "Already in SMM: a new SMI is held pending until RSM (crpin does not model delivering it).")
      return
    }
    let image = vcpus[index].registers
    let interruptedL2 = vcpus[index].inL2
    if interruptedL2 {
      vcpus[index].nested.l2AtSMI = image
      loadL1HostState(on: index, into: &outcome)
      outcome.notes.append(
        "The SMI interrupted L2: SMRAM holds L2's registers, then KVM left guest mode through a "
          + "VM-exit to L1 before entering SMM.")
    }
    vcpus[index].smm = SMMState(image: image, interruptedL2: interruptedL2)
    var registers = vcpus[index].registers
    registers.cr0 &= ~(CR0.pe | CR0.em | CR0.ts | CR0.pg)
    registers.cr4 = 0
    registers.efer = 0
    vcpus[registersOf: index] = registers
    outcome.notes.append(Discrepancy.d3.note)
  }

  /// Overwrites a value of the SMRAM state-save image, as an SMM handler (or attacker) can.
  mutating func editSMRAM(
    _ register: RegisterName, _ value: UInt64, on index: Int, into outcome: inout Outcome
  ) {
    guard vcpus[index].smm != nil else {
      outcome.fail(
        .rejected, .notInSMM, "SMRAM is reachable only from SMM: enter SMM with `smi` first.")
      return
    }
    vcpus[index].smm?.image[register] = value
  }

  /// `em_rsm` with the patch: leave SMM, the "safe mode" writes (failures ignored), re-enter
  /// guest mode if the SMI interrupted L2, restore from the image through checked writes, then
  /// the patch's post-RSM check. A failure is an emulation failure: a VM exit to the VMM outside
  /// guest mode, #UD (the VM runs on) inside it.
  mutating func resumeFromSMM(on index: Int, into outcome: inout Outcome) {
    guard let smm = vcpus[index].smm else {
      outcome.fail(.ud, .rsmOutsideSMM, "RSM outside SMM is an invalid opcode: #UD.")
      return
    }
    vcpus[index].smm = nil
    // At most four safe-mode writes, the way back into L2 and six restoring writes: one
    // allocation for the steps rather than one each time the array doubles.
    outcome.steps.reserveCapacity(outcome.steps.count + 11)
    safeModeWrites(on: index, into: &outcome)
    if smm.interruptedL2 {
      vcpus[index].nested.inL2 = true
      if let l2 = vcpus[index].nested.l2AtSMI { vcpus[registersOf: index] = l2 }
      vcpus[index].nested.l2AtSMI = nil
      outcome.steps.append(
        Step(
          action: .vmentry, context: "RSM: back into guest mode (the SMI interrupted L2)",
          kind: .ok, rules: [], failureIgnored: false))
    }
    let image = rsmImage(smm.image, on: index, into: &outcome)
    var failed = restore(image, on: index, into: &outcome)
    if !failed {
      let hits = postRSMViolations(on: index)
      outcome.rules += hits
      failed = !hits.isEmpty
    }
    guard failed else { return }
    if vcpus[index].inL2 {
      if options.kvmFacts.failedRSMShutsDown {
        outcome.notes.append(
          "KVM \(options.kvm) turns a failed RSM into a triple fault (25b17226cd9a, 5.14); what that "
            + "does in guest mode is undecided in crpin's facts, so crpin keeps 5.8's #UD here.")
      }
      outcome.fail(
        .ud, .rsmEmulationFailedUD,
        "RSM emulation failed in guest mode: KVM queues #UD for L2 instead of exiting, and L2 "
          + "runs on with the registers already loaded and SMM left.")
      outcome.notes.append(
        "crpin assumes L1 does not intercept #UD (KVM as L1 does, and would see a VM exit).")
      outcome.notes.append(Discrepancy.d6.note)
    } else if options.kvmFacts.failedRSMShutsDown {
      outcome.fail(
        .stopped, .rsmTripleFault,
        "RSM emulation failed: KVM \(options.kvm) makes it a triple fault, so the VM shuts down "
          + "(stopped) instead of exiting to the VMM with an emulation error.")
      stopped = true
      outcome.notes.append(Discrepancy.d1.note)
    } else {
      outcome.fail(
        .exit, .rsmEmulationFailedExit,
        "RSM emulation failed: KVM exits to the VMM with an internal emulation error; the VM "
          + "is stopped.")
      stopped = true
      outcome.notes.append(Discrepancy.d1.note)
    }
  }

  /// `em_rsm`'s writes back to a safe mode before the restore. They run outside SMM, are checked
  /// (pins included, outside guest mode) and KVM ignores their failures.
  private mutating func safeModeWrites(on index: Int, into outcome: inout Outcome) {
    let context = "RSM: back to a safe mode (failures ignored)"
    /// `register`: the register's name as a sentence gives it (`CR4`, `EFER`).
    func ignoring(_ action: Action, _ register: String, _ value: UInt64, _ write: CheckedWrite) {
      outcome.steps.append(
        Step(
          action: action, context: context, kind: write.succeeded ? .ok : .gp,
          rules: write.rules, failureIgnored: !write.succeeded))
      if !write.succeeded {
        outcome.notes.append(
          "RSM's safe-mode write of \(Hex.short(value)) to \(register) failed "
            + "(\(write.rules.map(\.id.rawValue).joined(separator: ", "))) and KVM ignored it.")
      }
    }
    var cr4 = vcpus[index].registers.cr4
    if cr4 & CR4.pcide != 0 {
      let safe = cr4 & ~CR4.pcide
      ignoring(.mov(.cr4, safe), "CR4", safe, setCR4(safe, on: index, origin: .internalLoad))
    }
    let cr0 = vcpus[index].registers.cr0
    if cr0 & CR0.pe != 0 {
      let safe = cr0 & ~(CR0.pg | CR0.pe)
      ignoring(.mov(.cr0, safe), "CR0", safe, setCR0(safe, on: index, origin: .internalLoad))
    }
    cr4 = vcpus[index].registers.cr4
    if cr4 & CR4.pae != 0 {
      let safe = cr4 & ~CR4.pae
      ignoring(.mov(.cr4, safe), "CR4", safe, setCR4(safe, on: index, origin: .internalLoad))
    }
    ignoring(.wrmsr(MSRNumber.efer, 0), "EFER", 0, setEFER(0, hostInitiated: false, on: index))
  }

  /// `rsm_load_state_64` / `rsm_enter_protected_mode`: EFER, CR3, CR4 without PCIDE, CR0, then
  /// CR4 with PCIDE and CR3 with its PCID. Returns whether a write failed.
  private mutating func restore(
    _ image: Registers, on index: Int, into outcome: inout Outcome
  ) -> Bool {
    var pcid: UInt64 = 0
    var cr3 = image.cr3
    if image.cr4 & CR4.pcide != 0 {
      pcid = cr3 & CR3.pcid
      cr3 &= ~CR3.pcid
    }
    var sequence: [Action] = [
      .wrmsr(MSRNumber.efer, image.efer & ~EFERBits.lma), .mov(.cr3, cr3),
      .mov(.cr4, image.cr4 & ~CR4.pcide), .mov(.cr0, image.cr0),
    ]
    if image.cr4 & CR4.pcide != 0 {
      sequence.append(.mov(.cr4, image.cr4))
      if pcid != 0 { sequence.append(.mov(.cr3, cr3 | pcid)) }
    }
    for action in sequence {
      let result: CheckedWrite
      let restored: (register: RegisterName, value: UInt64)
      switch action {
      case .mov(let register, let value):
        result = write(register, value, on: index, origin: .internalLoad)
        restored = (register.register, value)
      case .wrmsr(_, let value):
        result = setEFER(value, hostInitiated: false, on: index)
        restored = (.efer, value)
      default: continue
      }
      outcome.steps.append(
        Step(
          action: action, context: "RSM: restore from the SMRAM image",
          kind: result.succeeded ? .ok : .gp, rules: result.rules, failureIgnored: false))
      if !result.notes.isEmpty { outcome.notes += result.notes }
      if !result.succeeded {
        outcome.rules += result.rules
        outcome.rules.append(
          RuleHit(
            .rsmRestoreFailed,
            "RSM could not restore \(restored.register.displayName) = \(Hex.short(restored.value)) from the "
              + "SMRAM image: the checked write failed."))
        return true
      }
    }
    return false
  }
}
