/// Who asks for a control-register write.
enum WriteOrigin {
  /// A guest instruction: a MOV-to-CR exit or an emulated MOV (what Heki and VTL1 see).
  case instruction
  /// KVM's own loads through the emulator ops: RSM's safe-mode writes and its restore.
  case internalLoad
}

/// KVM 5.8's `kvm_set_cr0`, `kvm_set_cr3`, `kvm_set_cr4` and `set_efer`, with the pin check of
/// the design in force in its place (through the seam). Each check that fails is reported, in
/// KVM's order; KVM itself returns at the first. A write that fails changes nothing.
extension VirtualMachine {
  /// A checked write to a control register, as a guest MOV, the emulator or RSM's restore do it.
  @inline(__always)
  mutating func write<Report: WriteReport>(
    _ register: ControlRegister, _ value: UInt64, on index: Int, origin: WriteOrigin = .instruction
  ) -> Report {
    switch register {
    case .cr0: setCR0(value, on: index, origin: origin)
    case .cr3: setCR3(value, on: index)
    case .cr4: setCR4(value, on: index, origin: origin)
    }
  }

  /// What a guest instruction's write meets before KVM's checks: a change of guest-owned bits
  /// only (the write never reaches KVM: `guestOwnedWrite`), or the design's intercept. Reports what they find into
  /// `result` and returns whether the write is settled there (KVM's checks do not run).
  @inline(__always)
  private mutating func settledBeforeKVM<Report: WriteReport>(
    _ register: PinnableRegister, _ value: UInt64, on index: Int, origin: WriteOrigin,
    into result: inout Report
  ) -> Bool {
    guard origin == .instruction else { return false }
    let owned = register == .cr0 ? options.nonExitingCR0 : options.nonExitingCR4
    if owned != 0, hypervisorIsKVM, guestOwnedWrite(register, value, on: index, into: &result) {
      return true
    }
    let settles = interceptInstruction(register, value: value, on: index, into: &result)
    return result.dropped || (settles && result.refused)
  }

  /// A guest MOV whose change lies wholly in bits the guest owns on VMX (`VMOptions.nonExitingCR0`
  /// and `nonExitingCR4`) never exits: the CPU changes the register and neither KVM's checks nor
  /// a pin check in `kvm_set_cr*`/`handle_cr` run. The CPU's own check on CET and WP (Intel SDM:
  /// #GP) still applies. Returns whether the write was settled here.
  @inline(__always)
  private mutating func guestOwnedWrite<Report: WriteReport>(
    _ register: PinnableRegister, _ value: UInt64, on index: Int, into result: inout Report
  ) -> Bool {
    let registers = vcpus[index].registers
    switch register {
    case .cr0:
      let owned = options.nonExitingCR0
      let new = value | CR0.et
      guard owned != 0, value >> 32 == 0, new != registers.cr0, (new ^ registers.cr0) & ~owned == 0
      else { return false }
      if new & CR0.wp == 0, registers.cr4 & CR4.cet != 0 {
        result.rule(RuleHit(.cr0WPClearWithCET, .cr0, bits: CR0.wp))
        return true
      }
      vcpus[index].registers.cr0 = new
      result.settledWithoutExit()
      if Report.explains { result.note(guestOwnedNote(.cr0, new ^ registers.cr0)) }
    case .cr4:
      // A bit reserved for this guest is never guest-owned (`vmx_vcpu_after_set_cpuid`:
      // `cr4_guest_owned_bits &= ~cr4_guest_rsvd_bits`).
      let owned = options.nonExitingCR4 & ~options.cpu.featureGatedCR4
      guard owned != 0, value != registers.cr4, (value ^ registers.cr4) & ~owned == 0 else { return false }
      if value & CR4.cet != 0, registers.cr0 & CR0.wp == 0 {
        result.rule(RuleHit(.cr4CETWithoutWP, .cr4, bits: CR4.cet))
        return true
      }
      vcpus[cr4Of: index] = value
      result.settledWithoutExit()
      if Report.explains { result.note(guestOwnedNote(.cr4, value ^ registers.cr4)) }
    }
    return true
  }

  /// Why a guest-owned write reached no check: the `wp-guest-owned` what-if, or the KVM
  /// version's facts.
  private func guestOwnedNote(_ register: PinnableRegister, _ changed: UInt64) -> String {
    if register == .cr0, options.wpGuestOwned, options.kvmFacts.guestOwnedCR0() & CR0.wp == 0 {
      return "[inference] With EPT, Linux 6.4+ KVM lets the guest own CR0.WP and TS: a write that "
        + "changes only those bits never exits to KVM, so no check runs at all."
    }
    let bits = BitList.labels(changed, register)
    let since =
      register == .cr0
      ? changed & CR0.wp != 0
        ? "6.4 with EPT (fb509f76acc8 \"KVM: VMX: Make CR0.WP a guest owned bit\")"
        : "before 5.8 (KVM_POSSIBLE_CR0_GUEST_BITS)"
      : changed & CR4.cet != 0
        ? "6.18 (kvm-x86-cet-6.18: \"KVM: VMX: Make CR4.CET a guest owned bit\")"
        : changed & CR4.fsgsbase != 0
          ? "5.10 (\"Let the guest own CR4.FSGSBASE\")"
          : "5.9 (\"Mark CR4.TSD as being possibly owned by the guest\")"
    return "KVM \(options.kvm) lets the guest own \(bits) on VMX since \(since): this write changes only "
      + "guest-owned bits, so it never exits to KVM and no check in KVM runs, a pin check in "
      + "kvm_set_\(register.rawValue) or handle_cr included."
  }

  /// `kvm_set_cr0`.
  mutating func setCR0<Report: WriteReport>(
    _ requested: UInt64, on index: Int, origin: WriteOrigin = .instruction
  ) -> Report {
    var result = Report()
    if settledBeforeKVM(.cr0, requested, on: index, origin: origin, into: &result) { return result }
    let old = vcpus[index].registers
    var cr0 = requested | CR0.et
    if requested & CR0.et == 0 {
      result.note("KVM forces CR0.ET (bit 4, 0x10) on.")
    }
    if cr0 >> 32 != 0 {
      result.rule(RuleHit(.cr0ReservedHigh, .cr0, bits: cr0 & ~0xffff_ffff, value: requested))
    }
    let dropped = cr0 & 0xffff_ffff & ~CR0.defined
    if dropped != 0 {
      result.note("KVM silently dropped reserved CR0 bits \(Hex.short(dropped)) (no fault).")
      cr0 &= ~dropped
    }
    if cr0 & CR0.nw != 0, cr0 & CR0.cd == 0 {
      result.fail(
        .cr0NWWithoutCD,
        "CR0.NW (bit 29, 0x20000000) set with CR0.CD (bit 30, 0x40000000) clear is invalid.")
    }
    if cr0 & CR0.pg != 0, cr0 & CR0.pe == 0 {
      result.fail(
        .cr0PGWithoutPE,
        "CR0.PG (bit 31, 0x80000000) needs CR0.PE (bit 0, 0x1): paging requires protected mode.")
    }
    checkPins(.cr0, value: cr0, on: index, origin: origin, into: &result)
    if result.dropped { return result }
    if !old.paging, cr0 & CR0.pg != 0 {
      if old.efer & EFERBits.lme != 0 {
        if old.cr4 & CR4.pae == 0 {
          result.fail(
            .cr0LongModeNeedsPAE,
            "Turning paging on with EFER.LME set enters long mode, which needs CR4.PAE "
              + "(bit 5, 0x20).")
        }
      } else if old.cr4 & CR4.pae != 0 {
        result.note(pdptesAssumedValid)
      }
    }
    if cr0 & CR0.pg == 0, old.cr4 & CR4.pcide != 0 {
      result.fail(
        .cr0PGOffWithPCIDE,
        "Paging cannot be turned off while CR4.PCIDE (bit 17, 0x20000) is set.")
    }
    if options.kvmChecksCETAndWP, cr0 & CR0.wp == 0, old.cr4 & CR4.cet != 0 {
      result.rule(RuleHit(.cr0WPClearWithCET, .cr0, bits: CR0.wp))
    }
    guard !result.refused else { return result }
    if old.efer & EFERBits.lme != 0 {
      if !old.paging, cr0 & CR0.pg != 0 { vcpus[index].registers.efer |= EFERBits.lma }
      if old.paging, cr0 & CR0.pg == 0 { vcpus[index].registers.efer &= ~EFERBits.lma }
    }
    vcpus[index].registers.cr0 = cr0
    return result
  }

  /// `kvm_set_cr4`, with `kvm_valid_cr4` and `vmx_set_cr4`'s VMXE check.
  mutating func setCR4<Report: WriteReport>(
    _ cr4: UInt64, on index: Int, origin: WriteOrigin = .instruction
  ) -> Report {
    var result = Report()
    if settledBeforeKVM(.cr4, cr4, on: index, origin: origin, into: &result) { return result }
    let old = vcpus[index].registers
    // `refusedCR4` holds both rules' bits: which rule a refused bit trips is asked only then.
    if cr4 & options.refusedCR4 != 0 {
      let known = options.knownCR4
      let unknown = cr4 & ~known
      if unknown != 0 {
        result.rule(RuleHit(.cr4Reserved, .cr4, bits: unknown, value: RuleHit.kvmTag(options.kvm)))
      }
      let gated = cr4 & options.cpu.featureGatedCR4 & known
      if gated != 0 { result.rule(RuleHit(.cr4FeatureMissing, .cr4, bits: gated)) }
    }
    checkPins(.cr4, value: cr4, on: index, origin: origin, into: &result)
    if result.dropped { return result }
    let pdptrBits = CR4.pge | CR4.pse | CR4.pae | CR4.smep | CR4.smap | CR4.pke
    if old.longMode {
      if cr4 & CR4.pae == 0 {
        result.fail(
          .cr4LongModeNeedsPAE, "In long mode CR4.PAE (bit 5, 0x20) must stay set.")
      }
    } else if old.paging, cr4 & CR4.pae != 0, (cr4 ^ old.cr4) & pdptrBits != 0 {
      result.note(pdptesAssumedValid)
    }
    if cr4 & CR4.pcide != 0, old.cr4 & CR4.pcide == 0 {
      if !options.cpu.has(.pcid) {
        result.fail(
          .cr4PCIDENeedsPCID, "CR4.PCIDE (bit 17, 0x20000) needs CPUID PCID, which this CPU lacks.")
      }
      if old.cr3 & CR3.pcid != 0 {
        result.fail(
          .cr4PCIDENeedsZeroPCID,
          "CR4.PCIDE can only be turned on while CR3[11:0] is 0; CR3 is \(Hex.short(old.cr3)).")
      }
      if !old.longMode {
        result.fail(.cr4PCIDENeedsLongMode, "CR4.PCIDE can only be turned on in long mode.")
      }
    }
    if options.kvmChecksCETAndWP, cr4 & CR4.cet != 0, old.cr0 & CR0.wp == 0 {
      result.rule(RuleHit(.cr4CETWithoutWP, .cr4, bits: CR4.cet))
    }
    if cr4 & CR4.vmxe != 0 {
      if !options.cpu.has(.vmx) {
        result.fail(
          .cr4VMXENeedsVMX,
          "CR4.VMXE (bit 13, 0x2000) needs nested VMX, which this guest CPU lacks.")
      }
      if vcpus[index].inSMM {
        result.fail(.cr4VMXEInSMM, "CR4.VMXE (bit 13, 0x2000) cannot be set in SMM.")
      }
    }
    guard !result.refused else { return result }
    vcpus[cr4Of: index] = cr4
    return result
  }

  /// `kvm_set_cr3`.
  mutating func setCR3<Report: WriteReport>(_ value: UInt64, on index: Int) -> Report {
    let old = vcpus[index].registers
    var result = Report()
    var cr3 = value
    if old.cr4 & CR4.pcide != 0, cr3 & CR3.noFlush != 0 {
      cr3 &= ~CR3.noFlush
      result.note(
        "With PCIDE, CR3 bit 63 asks not to flush the PCID's TLB entries; it is not stored.")
    }
    let reserved = options.cpu.reservedCR3InLongMode
    if old.longMode, cr3 & reserved != 0 {
      result.fail(
        .cr3Reserved,
        "CR3 bits \(options.cpu.physicalAddressBits)-63 are reserved in long mode (MAXPHYADDR "
          + "\(options.cpu.physicalAddressBits)): \(Hex.short(cr3)) sets \(Hex.short(cr3 & reserved)).")
    } else if !old.longMode, old.paging, old.cr4 & CR4.pae != 0 {
      result.note(pdptesAssumedValid)
    }
    guard !result.refused else { return result }
    vcpus[index].registers.cr3 = cr3
    return result
  }

  /// `set_efer`: reserved bits; for the guest, LME cannot change while paging is on. LMA is
  /// read-only: it keeps its current value whatever is written.
  mutating func setEFER<Report: WriteReport>(_ value: UInt64, hostInitiated: Bool, on index: Int)
    -> Report
  {
    let old = vcpus[index].registers
    var result = Report()
    let reserved = value & ~EFERBits.defined
    if reserved != 0 {
      result.fail(
        .eferReserved,
        "EFER bits \(Hex.short(reserved)) are reserved: only SCE, LME, LMA and NXE exist here.")
    }
    if !hostInitiated, old.paging, (old.efer ^ value) & EFERBits.lme != 0 {
      result.fail(
        .eferLMEWhilePaging, "EFER.LME (bit 8, 0x100) cannot change while paging is on.")
    }
    guard !result.refused else { return result }
    if (value ^ old.efer) & EFERBits.lma != 0 {
      result.note("EFER.LMA is read-only: KVM keeps its current value.")
    }
    vcpus[index].registers.efer = (value & ~EFERBits.lma) | (old.efer & EFERBits.lma)
    return result
  }

  private var pdptesAssumedValid: String {
    "PAE paging: KVM loads the PDPTEs here; crpin has no guest memory and treats them as valid."
  }

}
