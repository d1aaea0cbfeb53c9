import Engine
import Testing

@Suite("SMM: SMI and RSM")
struct SMMTests {
  @Test("SMI saves the registers, clears CR4 and EFER, keeps CR0.WP (D3)")
  func smiEntry() {
    let vm = Fixture.booted
    let outcome = vm.preview(.smi, on: 0)
    #expect(outcome.kind == .ok)
    let vcpu = outcome.after.vcpus[0]
    #expect(vcpu.smm?.image == vm.regs)
    #expect(vcpu.registers.cr4 == 0)
    #expect(vcpu.registers.efer == 0)
    #expect(vcpu.registers.cr0 == vm.regs.cr0 & ~(CR0.pe | CR0.pg))
    #expect(vcpu.registers.cr0 & CR0.wp != 0)
    #expect(outcome.notes.contains { $0.hasPrefix("D3:") })
  }

  @Test("in SMM the pin check is skipped (with a note)")
  func smmIsFree() {
    let vm = Fixture.after([.smi])
    let outcome = vm.preview(.mov(.cr0, vm.regs.cr0 & ~CR0.wp), on: 0)
    #expect(outcome.kind == .ok)
    #expect(outcome.notes.contains { $0.contains("In SMM the patch skips the pin check") })
  }

  @Test("RSM with an untouched image restores everything and pins apply again")
  func rsmRoundTrip() {
    var vm = Fixture.after([.smi, .mov(.cr4, CR4.pae)])
    let outcome = vm.apply(.rsm, on: 0)
    #expect(outcome.kind == .ok)
    #expect(vm.regs == Fixture.booted.regs)
    #expect(!vm.vcpus[0].inSMM)
    #expect(vm.preview(.mov(.cr4, vm.regs.cr4 & ~CR4.smep), on: 0).kind == .gp)
    #expect(
      outcome.steps.map(\.action).suffix(5) == [
        .wrmsr(MSRNumber.efer, 0x901), .mov(.cr3, 0xb41_c000), .mov(.cr4, 0x34_0ef0), .mov(.cr0, 0x8005_0033),
        .mov(.cr4, 0x36_0ef0),
      ])
  }

  @Test("RSM outside SMM is #UD")
  func rsmOutside() {
    #expect(Fixture.booted.preview(.rsm, on: 0).ruleIDs == [.rsmOutsideSMM])
    #expect(Fixture.booted.preview(.rsm, on: 0).kind == .ud)
  }

  @Test("a tampered SMRAM CR4 fails the restore: VM exit, stopped (D1)")
  func tamperStops() {
    var vm = Fixture.after([.smi])
    let image = vm.vcpus[0].smm?.image.cr4 ?? 0
    #expect(vm.apply(.smram(.cr4, image & ~CR4.smep), on: 0).kind == .ok)
    let outcome = vm.apply(.rsm, on: 0)
    #expect(outcome.kind == .exit)
    #expect(outcome.ruleIDs == [.pinCR4High, .rsmRestoreFailed, .rsmEmulationFailedExit])
    #expect(outcome.notes.contains { $0.hasPrefix("D1:") })
    #expect(vm.stopped)
    #expect(vm.apply(.mov(.cr4, 0), on: 0).kind == .stopped)
    #expect(vm.apply(.hostRdmsr(MSRNumber.cr4PinnedHigh), on: 0).kind == .ok, "the VMM still works")
    #expect(vm.apply(.reset, on: 0).kind == .ok)
    #expect(!vm.stopped)
  }

  @Test("SMRAM is reachable only in SMM")
  func smramOutside() {
    #expect(Fixture.booted.preview(.smram(.cr4, 0), on: 0).ruleIDs == [.notInSMM])
  }

  @Test("a second SMI in SMM changes nothing")
  func nestedSMI() {
    let vm = Fixture.after([.smi])
    let outcome = vm.preview(.smi, on: 0)
    #expect(outcome.kind == .ok)
    #expect(outcome.after == vm)
  }

  @Test("a safe-mode write that breaks the pins fails silently, and RSM still succeeds")
  func safeModeIgnored() {
    // The SMM handler enables protection without WP: RSM's "clear PG and PE" write keeps WP
    // clear, which the pins refuse outside SMM; KVM ignores it and restores from the image.
    var vm = Fixture.after([.smi])
    vm.apply(.mov(.cr0, (vm.regs.cr0 | CR0.pe) & ~CR0.wp), on: 0)
    let outcome = vm.apply(.rsm, on: 0)
    #expect(outcome.kind == .ok)
    #expect(outcome.steps.contains { $0.failureIgnored && $0.rules.map(\.id) == [.pinCR0High] })
    #expect(vm.regs == Fixture.booted.regs)
  }
}
