import Engine
import Testing

@Suite("nested: L1 and L2")
struct NestedTests {
  @Test("L2 starts from L1's values and may clear pinned bits")
  func l2Unpinned() {
    var vm = Fixture.booted
    #expect(vm.apply(.vmentry, on: 0).kind == .ok)
    #expect(vm.vcpus[0].inL2)
    #expect(vm.regs == Fixture.booted.regs)
    let clear = vm.apply(.mov(.cr4, vm.regs.cr4 & ~CR4.smep), on: 0)
    #expect(clear.kind == .ok)
    #expect(clear.notes.contains { $0.contains("While L2 runs") })
    let exit = vm.apply(.vmexit, on: 0)
    #expect(exit.kind == .ok)
    #expect(exit.forced == nil)
    #expect(vm.regs.cr4 == 0x36_0ef0, "L1 comes back with its own CR4")
  }

  @Test("a vmcs12 host CR4 without SMEP is forced back on at VM-exit, silently")
  func forcedOnExit() {
    var vm = Fixture.booted
    #expect(vm.apply(.vmcs12(.hostCR4, 0x26_0ef0), on: 0).kind == .ok)
    vm.apply(.vmentry, on: 0)
    let exit = vm.apply(.vmexit, on: 0)
    #expect(exit.kind == .ok)
    #expect(exit.forced == ForcedBits(cr0: 0, cr4: CR4.smep))
    #expect(vm.regs.cr4 == 0x36_0ef0)
    #expect(exit.notes.contains { $0.contains("forced CR4.SMEP (bit 20, 0x100000) back on") })
  }

  @Test("without the patch L1 comes back without SMEP")
  func noForcingWithoutPatch() {
    var vm = Fixture.booted
    vm.apply(.option(.kvmPin, false), on: 0)
    vm.apply(.vmcs12(.hostCR4, 0x26_0ef0), on: 0)
    vm.apply(.vmentry, on: 0)
    #expect(vm.apply(.vmexit, on: 0).forced == nil)
    #expect(vm.regs.cr4 == 0x26_0ef0)
  }

  @Test("state rules: vmexit outside L2, vmcs12 in L2, vmentry in L2 or SMM or without VMX")
  func stateRules() {
    #expect(Fixture.booted.preview(.vmexit, on: 0).ruleIDs == [.notInL2])
    let l2 = Fixture.after([.vmentry])
    #expect(l2.preview(.vmcs12(.hostCR4, 0), on: 0).ruleIDs == [.vmcs12WhileL2])
    #expect(l2.preview(.vmentry, on: 0).ruleIDs == [.vmentryInL2])
    let smm = Fixture.after([.smi])
    #expect(smm.preview(.vmentry, on: 0).ruleIDs == [.vmxInSMM])
    #expect(smm.preview(.vmcs12(.hostCR0, 0), on: 0).kind == .ud)
    var options = VMOptions()
    options.cpu.features.remove(.vmx)
    #expect(VirtualMachine(bootedWith: 1, options: options).preview(.vmentry, on: 0).ruleIDs == [.vmxMissing])
  }

  @Test("SMI in L2 then RSM: the post-RSM check compares L2's CR4 with L1's pins → #UD, runs on (D6)")
  func nestedSMM() {
    var vm = Fixture.after([.vmentry])
    vm.apply(.mov(.cr4, vm.regs.cr4 & ~CR4.smep), on: 0)
    let smi = vm.apply(.smi, on: 0)
    #expect(smi.kind == .ok)
    #expect(!vm.vcpus[0].inL2)
    #expect(vm.vcpus[0].smm?.interruptedL2 == true)
    #expect(vm.vcpus[0].smm?.image.cr4 == 0x26_0ef0)
    let rsm = vm.apply(.rsm, on: 0)
    #expect(rsm.kind == .ud)
    #expect(rsm.ruleIDs == [.rsmPostCheck, .rsmEmulationFailedUD])
    #expect(rsm.notes.contains { $0.hasPrefix("D6:") })
    #expect(!vm.stopped)
    #expect(vm.vcpus[0].inL2)
    #expect(!vm.vcpus[0].inSMM)
    #expect(vm.regs.cr4 == 0x26_0ef0, "L2 runs on without SMEP")
  }

  @Test("SMI in L2 with L2 keeping the pinned bits: RSM back into L2 is fine")
  func nestedSMMClean() {
    var vm = Fixture.after([.vmentry, .smi])
    #expect(vm.apply(.rsm, on: 0).kind == .ok)
    #expect(vm.vcpus[0].inL2)
    #expect(vm.regs == Fixture.booted.regs)
  }
}
