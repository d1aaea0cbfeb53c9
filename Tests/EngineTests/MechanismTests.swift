import Engine
import Testing

/// The rival designs and the review's policies: each rule fires and just misses.
@Suite("mechanisms")
struct MechanismTests {
  static let noSMEP: UInt64 = 0x36_0ef0 & ~CR4.smep

  /// A booted VM under `mechanism` (the guest pins the way that design's kernel does).
  static func booted(_ mechanism: Mechanism, vcpus: Int = 1) -> VirtualMachine {
    var vm = VirtualMachine(resetWith: vcpus)
    vm.apply(.mechanism(mechanism), on: 0)
    for index in vm.vcpus.indices { vm.apply(.boot, on: index) }
    return vm
  }

  @Test("switching mechanism clears every pin and sets none")
  func switchClears() {
    var vm = Fixture.booted
    let outcome = vm.apply(.mechanism(.heki), on: 0)
    #expect(outcome.kind == .ok)
    #expect(vm.effectivePins(on: 0) == .none)
    #expect((vm.payload(of: HekiPinning.self)?.vm ?? .zero) == .zero)
    #expect(vm.apply(.mov(.cr4, Self.noSMEP), on: 0).kind == .ok)
  }

  @Test("every mechanism boots to the reference values")
  func bootEverywhere() {
    for mechanism in Mechanism.allCases {
      let vm = Self.booted(mechanism)
      #expect(vm.regs == Fixture.booted.regs, "\(mechanism.rawValue)")
    }
  }

  @Test("the same ROP write under each mechanism")
  func ropUnderEach() {
    let expected: [Mechanism: (OutcomeKind, [RuleID])] = [
      .kvm2020: (.gp, [.pinCR4High]), .kvmRFC2: (.gp, [.rfc2PinCR4]), .heki: (.gp, [.hekiCR4Locked]),
      .vtl1: (.dropped, [.vtl1Intercept]), .xenVMEvent: (.dropped, [.xenMonitorDeny]), .native: (.ok, []),
      .none: (.ok, []),
    ]
    for (mechanism, (kind, rules)) in expected {
      let outcome = Self.booted(mechanism).preview(.mov(.cr4, Self.noSMEP), on: 0)
      #expect(outcome.kind == kind, "\(mechanism.rawValue)")
      #expect(outcome.ruleIDs == rules, "\(mechanism.rawValue)")
    }
  }

  @Test("kvm-rfc2: pinning SMEP alone forbids setting SMAP later (pin to value)")
  func rfc2PinToValue() {
    var vm = Fixture.after([.mechanism(.kvmRFC2), .mov(.cr4, 0x16_0ef0 & ~CR4.umip)])
    #expect(vm.apply(.wrmsr(0x4b56_4d09, CR4.smep), on: 0).kind == .ok)
    let setSMAP = vm.preview(.mov(.cr4, vm.regs.cr4 | CR4.smap), on: 0)
    #expect(setSMAP.ruleIDs == [.rfc2PinCR4])
    #expect(setSMAP.rules[0].message.contains("set CR4.SMAP"))
    #expect(vm.preview(.mov(.cr4, vm.regs.cr4 | CR4.pke), on: 0).kind == .ok, "non-allowed bits are free")
    let effective = vm.effectivePins(on: 0)
    #expect(effective.cr4High == CR4.smep && effective.cr4Low == CR4.smap | CR4.umip)
  }

  @Test("kvm-rfc2 MSRs: guest ORs, host replaces, allowed MSRs ignore writes, 0x08/09 noted")
  func rfc2MSRs() {
    var vm = Fixture.after([.mechanism(.kvmRFC2)])
    #expect(vm.apply(.wrmsr(0x4b56_4d09, CR4.smep), on: 0).kind == .ok)
    #expect(vm.apply(.wrmsr(0x4b56_4d09, CR4.smap), on: 0).kind == .ok)
    #expect(vm.payload(of: KVMRFC2Pinning.self)?.vcpus[0].cr4 == CR4.smep | CR4.smap)
    #expect(vm.apply(.hostWrmsr(0x4b56_4d09, CR4.umip), on: 0).kind == .ok)
    #expect(vm.payload(of: KVMRFC2Pinning.self)?.vcpus[0].cr4 == CR4.umip)
    let outside = vm.apply(.wrmsr(0x4b56_4d09, CR4.pae), on: 0)
    #expect(outside.ruleIDs == [.rfc2PinNotAllowed])
    #expect(outside.notes.contains { $0.contains("CR4_PIN_ALLOWED") })
    #expect(vm.apply(.wrmsr(0x4b56_4d07, 0x1234), on: 0).kind == .ok)
    #expect(vm.apply(.rdmsr(0x4b56_4d07), on: 0).value == 0x30_0800)
    #expect(vm.apply(.rdmsr(MSRNumber.cr4PinnedHigh), on: 0).kind == .gp, "0x4b564d0d does not exist")
  }

  @Test("kvm-rfc2: SMRAM tampering is silently undone; L2 is checked; VM-exit is not forced")
  func rfc2SMMAndNested() {
    var smm = Self.booted(.kvmRFC2)
    smm.apply(.smi, on: 0)
    smm.apply(.smram(.cr4, Self.noSMEP), on: 0)
    let rsm = smm.apply(.rsm, on: 0)
    #expect(rsm.kind == .ok)
    #expect(smm.regs.cr4 == 0x36_0ef0)
    #expect(rsm.notes.contains { $0.contains("rewrote KVM's copy") })
    var l2 = Self.booted(.kvmRFC2)
    l2.apply(.vmentry, on: 0)
    #expect(l2.apply(.mov(.cr4, Self.noSMEP), on: 0).ruleIDs == [.rfc2PinCR4])
    var bypass = Self.booted(.kvmRFC2)
    bypass.apply(.vmcs12(.hostCR4, Self.noSMEP), on: 0)
    bypass.apply(.vmentry, on: 0)
    #expect(bypass.apply(.vmexit, on: 0).forced == nil)
    #expect(bypass.regs.cr4 == Self.noSMEP, "L1 came back without SMEP")
  }

  @Test("heki: locks bind every vCPU and survive INIT, so bring-up faults")
  func hekiPerVM() {
    var vm = Self.booted(.heki, vcpus: 2)
    #expect(vm.vcpus[1].registers == .reset, "vCPU 1 cannot even boot: its first CR0 write lacks WP")
    #expect((vm.payload(of: HekiPinning.self)?.vm ?? .zero) == PinPair(cr0: CR0.wp, cr4: 0x30_0800))
    #expect(vm.preview(.mov(.cr4, Self.noSMEP), on: 0).ruleIDs == [.hekiCR4Locked])
    vm.apply(.reset, on: 0)
    let boot = vm.apply(.boot, on: 0)
    #expect(boot.kind == .gp)
    #expect(boot.ruleIDs == [.hekiCR0Locked])
  }

  @Test("heki: every mode is checked, but RSM's restore and the vmcs12 load are not")
  func hekiGaps() {
    var smm = Self.booted(.heki)
    smm.apply(.smi, on: 0)
    #expect(smm.preview(.mov(.cr0, 0), on: 0).ruleIDs == [.hekiCR0Locked], "no SMM exemption")
    smm.apply(.smram(.cr4, Self.noSMEP), on: 0)
    #expect(smm.apply(.rsm, on: 0).kind == .ok)
    #expect(smm.regs.cr4 == Self.noSMEP, "the tampered image is restored unchecked")
    var nested = Self.booted(.heki)
    nested.apply(.vmcs12(.hostCR4, Self.noSMEP), on: 0)
    nested.apply(.vmentry, on: 0)
    #expect(nested.preview(.mov(.cr4, Self.noSMEP), on: 0).kind == .gp, "L2's write is checked")
    nested.apply(.vmexit, on: 0)
    #expect(nested.regs.cr4 == Self.noSMEP)
  }

  @Test("heki hypercall: version, errors in RAX, host gating, 32-bit truncation")
  func hekiHypercall() {
    var vm = Fixture.after([.mechanism(.heki)])
    #expect(vm.preview(.hypercallLockCR(cr: 0, bits: 0, flags: 1), on: 0).value == 1)
    let einval = UInt64(bitPattern: -22)
    for (cr, bits, flags) in [
      (UInt64(3), CR4.smep, UInt64(0)), (4, 0, 0), (0, CR0.pe, 0), (4, CR4.pae, 0), (4, CR4.smep, 2),
    ] {
      let outcome = vm.preview(.hypercallLockCR(cr: cr, bits: bits, flags: flags), on: 0)
      #expect(outcome.kind == .ok)
      #expect(outcome.value == einval)
      #expect(outcome.ruleIDs == [.hekiHypercallInvalid])
    }
    vm.apply(.hostCR(.cr4, 0x36_0ef0 & ~CR4.smap), on: 0)
    let partial = vm.apply(.hypercallLockCR(cr: 4, bits: CR4.smep | CR4.smap, flags: 0), on: 0)
    #expect(partial.value == 0)
    #expect((vm.payload(of: HekiPinning.self)?.vm ?? .zero).cr4 == CR4.smep)
    var real = VirtualMachine(resetWith: 1)
    real.apply(.mechanism(.heki), on: 0)
    #expect(real.preview(.hypercallLockCR(cr: 9, bits: 1, flags: 0), on: 0).value == 0xffff_ffea)
    #expect(
      Fixture.booted.preview(.hypercallLockCR(cr: 0, bits: CR0.wp, flags: 0), on: 0).ruleIDs == [
        .hypercallUnknown
      ])
  }

  @Test("vtl1: drop, gp and allow policies; intercepts only on changed masked bits")
  func vtl1Policies() {
    var vm = Self.booted(.vtl1)
    let dropped = vm.apply(.mov(.cr4, Self.noSMEP), on: 0)
    #expect(dropped.kind == .dropped)
    #expect(dropped.changes.isEmpty)
    #expect(vm.preview(.mov(.cr4, vm.regs.cr4), on: 0).kind == .ok, "no change, no intercept")
    #expect(vm.preview(.mov(.cr0, 0x8004_0033), on: 0).kind == .ok, "CR0 is not intercepted")
    vm.apply(.vtl1Policy(.gp), on: 0)
    #expect(vm.preview(.mov(.cr4, Self.noSMEP), on: 0).kind == .gp)
    vm.apply(.vtl1Policy(.allow), on: 0)
    let allowed = vm.preview(.mov(.cr4, Self.noSMEP), on: 0)
    #expect(allowed.kind == .ok)
    #expect(allowed.after.regs.cr4 == Self.noSMEP)
    #expect(Fixture.booted.preview(.vtl1Policy(.drop), on: 0).ruleIDs == [.noVTL1])
  }

  @Test("native and none")
  func nativeAndNone() {
    let native = Self.booted(.native)
    #expect(native.preview(.kernelWrite(.cr4, Self.noSMEP), on: 0).after.regs.cr4 == 0x36_0ef0)
    #expect(native.preview(.mov(.cr4, Self.noSMEP), on: 0).after.regs.cr4 == Self.noSMEP)
    let none = Self.booted(.none)
    #expect(none.preview(.kernelWrite(.cr4, Self.noSMEP), on: 0).after.regs.cr4 == Self.noSMEP)
  }

  @Test("policy init-keeps-pins: INIT keeps them, reboot clears them")
  func initKeepsPins() {
    var vm = Fixture.after([.option(.initKeepsPins, true), .reset])
    #expect(vm.effectivePins(on: 0).cr0High == CR0.wp)
    #expect(vm.apply(.boot, on: 0).kind == .gp)
    vm.apply(.reboot(keepPins: false), on: 0)
    #expect(vm.effectivePins(on: 0) == .none)
  }

  @Test("policy enforce-pv-cpuid: the MSRs #GP for the guest when CPUID hides the bit")
  func enforcePVCPUID() {
    let vm = Fixture.after([.option(.cpuidPin, false), .option(.enforcePVCPUID, true)])
    #expect(vm.preview(.wrmsr(MSRNumber.cr4PinnedHigh, 0x30_0800), on: 0).ruleIDs == [.msrPVCPUIDEnforced])
    #expect(vm.preview(.rdmsr(MSRNumber.cr4PinnedHigh), on: 0).kind == .gp)
    #expect(vm.preview(.hostWrmsr(MSRNumber.cr4PinnedHigh, 0), on: 0).kind == .ok)
    let visible = Fixture.after([.option(.enforcePVCPUID, true)])
    #expect(visible.preview(.wrmsr(MSRNumber.cr4PinnedHigh, 0x30_0800), on: 0).kind == .ok)
  }

  @Test("policy allowed-writable: the VMM widens the allowed mask; trouble bits are explained")
  func allowedWritable() {
    var vm = Fixture.after([.option(.allowedWritable, true)])
    let widen = vm.apply(.hostWrmsr(MSRNumber.cr4PinAllowed, 0x32_0800), on: 0)
    #expect(widen.kind == .ok)
    #expect(widen.notes.contains { $0.contains("PCIDE") })
    #expect(vm.pinAllowed(.cr4, on: 0) == 0x32_0800)
    #expect(vm.apply(.wrmsr(MSRNumber.cr4PinnedHigh, 0x32_0800), on: 0).kind == .ok)
    #expect(vm.preview(.mov(.cr4, 0x36_0ef0 & ~CR4.pcide), on: 0).ruleIDs == [.pinCR4High])
    #expect(
      vm.preview(.hostWrmsr(MSRNumber.cr4PinAllowed, CR4.smxe), on: 0).ruleIDs == [.msrPinAllowedUnsupported])
    #expect(Fixture.booted.preview(.hostWrmsr(MSRNumber.cr4PinAllowed, 0x32_0800), on: 0).kind == .rejected)
  }

  @Test("policy wp-guest-owned: a write changing only WP never reaches KVM")
  func wpGuestOwned() {
    let vm = Fixture.after([.option(.wpGuestOwned, true)])
    let onlyWP = vm.preview(.mov(.cr0, 0x8004_0033), on: 0)
    #expect(onlyWP.kind == .ok)
    #expect(onlyWP.after.regs.cr0 == 0x8004_0033)
    #expect(onlyWP.notes.contains { $0.hasPrefix("[inference]") })
    #expect(vm.preview(.mov(.cr0, 0x8000_0033), on: 0).ruleIDs == [.pinCR0High], "AM too: KVM sees it")
  }

  @Test("the pin MSRs of each design and what the VMM reads from them")
  func msrsPerDesign() {
    #expect(MSRCatalog.pinMSRs(of: .kvm2020).map(\.number) == Array(0x4b56_4d08...0x4b56_4d0d))
    #expect(
      MSRCatalog.pinMSRs(of: .kvmRFC2).map(\.shortName) == [
        "CR0_PIN_ALLOWED", "CR4_PIN_ALLOWED", "CR0_PINNED", "CR4_PINNED",
      ])
    #expect(MSRCatalog.pinMSRs(of: .heki).isEmpty)
    let rfc2 = Self.booted(.kvmRFC2)
    #expect(rfc2.hostRead(msr: 0x4b56_4d09, on: 0) == 0x30_0800)
    #expect(rfc2.hostRead(msr: MSRNumber.cr4PinnedHigh, on: 0) == nil)
    #expect(Fixture.booted.hostRead(msr: MSRNumber.cr4PinnedHigh, on: 0) == 0x30_0800)
    #expect(Fixture.booted.hostRead(msr: MSRNumber.efer, on: 0) == 0xd01)
  }

  @Test("changes list the pins in force whatever design holds them")
  func changesUseEffectivePins() {
    var vm = Fixture.after([.mechanism(.heki)])
    let lock = vm.apply(.hypercallLockCR(cr: 4, bits: CR4.smep, flags: 0), on: 0)
    #expect(lock.changes.map(\.field) == ["pins.cr4_high"])
    let policy = Self.booted(.vtl1).preview(.vtl1Policy(.gp), on: 0)
    #expect(policy.changes.map(\.field) == ["vtl1 policy"])
    #expect(Fixture.booted.preview(.stac, on: 0).changes.map(\.field) == ["EFLAGS.AC"])
  }

  @Test("migration without pins loses kvm and heki pins; VTL1's intercepts travel")
  func migrationPerMechanism() {
    var heki = Self.booted(.heki)
    heki.apply(.migrate(dropPins: true), on: 0)
    #expect((heki.payload(of: HekiPinning.self)?.vm ?? .zero) == .zero)
    var vtl1 = Self.booted(.vtl1)
    vtl1.apply(.migrate(dropPins: true), on: 0)
    #expect(vtl1.payload(of: VTL1Intercepts.self)?.vcpus[0].cr4 == 0xffff_ffff)
  }
}

/// Each mechanism's CR rule fires on the bit it guards and just misses on its neighbour.
@Suite("mechanism rules fire and just miss")
struct MechanismRuleEdgeTests {
  static let cases: [(Mechanism, PinnableRegister, UInt64, RuleID)] = [
    (.kvmRFC2, .cr0, CR0.wp, .rfc2PinCR0), (.kvmRFC2, .cr4, CR4.smap, .rfc2PinCR4),
    (.heki, .cr0, CR0.wp, .hekiCR0Locked), (.heki, .cr4, CR4.umip, .hekiCR4Locked),
    (.vtl1, .cr4, CR4.smep, .vtl1Intercept),
  ]

  @Test("clearing the guarded bit fires; clearing the bit below it does not", arguments: 0..<cases.count)
  func fireAndMiss(case index: Int) {
    let (mechanism, register, bit, rule) = Self.cases[index]
    let vm = MechanismTests.booted(mechanism)
    let current = vm.vcpus[0].registers[register.controlRegister.register]
    let action = Action.mov(register.controlRegister, current & ~bit)
    #expect(vm.preview(action, on: 0).ruleIDs.first == rule, "\(mechanism.rawValue)")
    let neighbour = register == .cr0 ? CR0.am : CR4.pge
    let miss = vm.preview(.mov(register.controlRegister, current & ~neighbour), on: 0)
    if mechanism == .vtl1 {
      #expect(miss.kind == .dropped, "VTL1 intercepts every CR4 bit")
    } else {
      #expect(miss.kind == .ok, "\(mechanism.rawValue)")
    }
  }
}
