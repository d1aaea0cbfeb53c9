import Engine
import Testing

/// The teaching scenarios of `shared/reference/scenarios.md`, step by step, at the engine level.
/// (`crpin scenario NAME` runs the same stories as scripts, with narration.)
@Suite("teaching scenarios")
struct TeachingScenarioTests {
  /// Runs steps on vCPU 0, checking each outcome kind; returns the VM and the last outcome.
  @discardableResult
  static func run(
    _ vm: inout VirtualMachine, _ steps: [(Action, OutcomeKind)],
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> Outcome? {
    var last: Outcome?
    for (action, kind) in steps {
      let outcome = vm.apply(action, on: 0)
      #expect(outcome.kind == kind, "\(action)", sourceLocation: sourceLocation)
      last = outcome
    }
    return last
  }

  static let clearSMEP: UInt64 = 0x36_0ef0 & ~CR4.smep

  @Test("rop-smep: no pinning, native only, paravirtual")
  func ropSMEP() {
    var none = Fixture.unpinned
    none.apply(.option(.nativePin, false), on: 0)
    Self.run(&none, [(.kernelWrite(.cr4, Self.clearSMEP), .ok)])
    #expect(none.regs.cr4 & CR4.smep == 0)

    var native = Fixture.unpinned
    let restored = Self.run(&native, [(.kernelWrite(.cr4, Self.clearSMEP), .ok)])
    #expect(native.regs.cr4 & CR4.smep != 0)
    #expect(restored?.notes.contains { $0.contains("pinned CR4 bits changed: 0x100000!?") } == true)
    Self.run(&native, [(.mov(.cr4, Self.clearSMEP), .ok)])
    #expect(native.regs.cr4 & CR4.smep == 0, "a check-free gadget beats native pinning")

    var pv = Fixture.booted
    Self.run(&pv, [(.kernelWrite(.cr4, Self.clearSMEP), .gp), (.mov(.cr4, Self.clearSMEP), .gp)])
    #expect(pv.regs.cr4 == 0x36_0ef0)
  }

  @Test("boot-pins: from reset, boot reads the allowed MSRs and pins high")
  func bootPins() {
    var vm = Fixture.booted
    Self.run(&vm, [(.reset, .ok)])
    let boot = Self.run(&vm, [(.boot, .ok)])
    let actions = boot?.steps.map(\.action) ?? []
    #expect(
      actions.suffix(4) == [
        .rdmsr(MSRNumber.cr0PinAllowed), .rdmsr(MSRNumber.cr4PinAllowed),
        .wrmsr(MSRNumber.cr0PinnedHigh, 0x10000), .wrmsr(MSRNumber.cr4PinnedHigh, 0x30_0800),
      ])
    #expect(vm.apply(.rdmsr(MSRNumber.cr0PinAllowed), on: 0).value == 0x10000)
    #expect(vm.apply(.rdmsr(MSRNumber.cr4PinAllowed), on: 0).value == 0x30_0800)
  }

  @Test("guest-cannot-unpin and host-can-unpin")
  func unpin() {
    var vm = Fixture.unpinned
    Self.run(
      &vm, [(.wrmsr(MSRNumber.cr4PinnedHigh, CR4.smep), .ok), (.wrmsr(MSRNumber.cr4PinnedHigh, 0), .gp)])
    #expect(vm.effectivePins(on: 0).cr4High == CR4.smep)
    Self.run(&vm, [(.wrmsr(MSRNumber.cr4PinnedHigh, CR4.smep | CR4.smap), .ok)])
    Self.run(&vm, [(.hostWrmsr(MSRNumber.cr4PinnedHigh, 0), .ok), (.mov(.cr4, Self.clearSMEP), .ok)])
  }

  @Test("pin-rules")
  func pinRules() {
    var vm = Fixture.booted
    Self.run(
      &vm,
      [
        (.wrmsr(MSRNumber.cr4PinnedHigh, 0x30_0800 | CR4.pae), .gp),
        (.wrmsr(MSRNumber.cr4PinnedLow, CR4.smep), .gp),
        (.hostWrmsr(MSRNumber.cr4PinnedLow, CR4.smep), .rejected),
        (.wrmsr(MSRNumber.cr4PinAllowed, 0x30_0800), .ok),
        (.wrmsr(MSRNumber.cr4PinAllowed, 0), .gp),
      ])
  }

  @Test("wp-pinned")
  func wpPinned() {
    var vm = Fixture.booted
    Self.run(&vm, [(.mov(.cr0, 0x8004_0033), .gp)])
    var native = Fixture.unpinned
    Self.run(&native, [(.kernelWrite(.cr0, 0x8004_0033), .ok)])
    #expect(native.regs.cr0 & CR0.wp != 0)
  }

  @Test("smm-free and smm-tamper")
  func smm() {
    var free = Fixture.booted
    Self.run(&free, [(.smi, .ok), (.mov(.cr4, 0), .ok), (.rsm, .ok), (.mov(.cr4, Self.clearSMEP), .gp)])
    var tamper = Fixture.booted
    Self.run(
      &tamper,
      [(.smi, .ok), (.smram(.cr4, Self.clearSMEP), .ok), (.rsm, .exit), (.mov(.cr4, 0x36_0ef0), .stopped)])
  }

  @Test("nested-restore, l2-unpinned, nested-smm")
  func nested() {
    var restore = Fixture.booted
    Self.run(&restore, [(.vmcs12(.hostCR4, Self.clearSMEP), .ok), (.vmentry, .ok), (.vmexit, .ok)])
    #expect(restore.regs.cr4 & CR4.smep != 0)
    var l2 = Fixture.booted
    Self.run(&l2, [(.vmentry, .ok), (.mov(.cr4, Self.clearSMEP), .ok), (.vmexit, .ok)])
    #expect(l2.regs.cr4 & CR4.smep != 0)
    var nestedSMM = Fixture.booted
    Self.run(&nestedSMM, [(.vmentry, .ok), (.mov(.cr4, Self.clearSMEP), .ok), (.smi, .ok), (.rsm, .ud)])
    #expect(!nestedSMM.stopped)
  }

  @Test("hibernate: reset one vCPU, bring it up, re-pin")
  func hibernate() {
    var vm = VirtualMachine(bootedWith: 2)
    #expect(vm.apply(.reset, on: 1).kind == .ok)
    #expect(vm.effectivePins(on: 1) == .none && !vm.effectivePins(on: 0).isEmpty)
    #expect(vm.apply(.mov(.cr0, 0x6000_0011), on: 1).kind == .ok)
    #expect(vm.apply(.mov(.cr4, CR4.pae), on: 1).kind == .ok)
    #expect(vm.apply(.wrmsr(MSRNumber.cr4PinnedHigh, CR4.smep), on: 1).kind == .ok)
  }

  @Test("reboot-stale, migration, hidden-feature, kexec")
  func vmmDuties() {
    var stale = Fixture.booted
    Self.run(
      &stale, [(.reboot(keepPins: true), .ok), (.boot, .gp), (.reboot(keepPins: false), .ok), (.boot, .ok)])
    var migrated = Fixture.booted
    Self.run(&migrated, [(.migrate(dropPins: true), .ok), (.mov(.cr4, Self.clearSMEP), .ok)])
    var carried = Fixture.booted
    Self.run(&carried, [(.migrate(dropPins: false), .ok), (.mov(.cr4, Self.clearSMEP), .gp)])
    var hidden = Fixture.unpinned
    Self.run(&hidden, [(.wrmsr(MSRNumber.cr4PinnedHigh, 0x30_0800), .ok), (.option(.kvmPin, false), .ok)])
    Self.run(&hidden, [(.wrmsr(MSRNumber.cr4PinnedHigh, 0x30_0800), .gp)])
    var kexec = Fixture.booted
    Self.run(&kexec, [(.kexec, .gp)])
  }
}
