import Engine
import Testing

/// Each MOV-to-CR4 (and CR3, EFER) rule fires, and a value that just misses it does not.
@Suite("MOV to CR4, CR3 and EFER rules")
struct CR4RuleTests {
  @Test("a bit KVM 5.8 does not know → #GP reserved")
  func reservedUnknown() {
    let vm = Fixture.booted
    #expect(vm.preview(.mov(.cr4, vm.regs.cr4 | CR4.smxe), on: 0).ruleIDs == [.cr4Reserved])
    #expect(vm.preview(.mov(.cr4, vm.regs.cr4 | 1 << 40), on: 0).ruleIDs == [.cr4Reserved])
    #expect(vm.preview(.mov(.cr4, vm.regs.cr4 | CR4.pke), on: 0).kind == .ok)
  }

  @Test("a gated bit without its CPUID feature → #GP; with it fine")
  func featureMissing() {
    var options = VMOptions()
    options.cpu.features.remove(.smep)
    options.cpuidPin = false
    let vm = VirtualMachine(bootedWith: 1, options: options)
    #expect(vm.regs.cr4 & CR4.smep == 0, "boot skips setup_smep without the feature")
    let fires = vm.preview(.mov(.cr4, vm.regs.cr4 | CR4.smep), on: 0)
    #expect(fires.ruleIDs == [.cr4FeatureMissing])
    #expect(fires.rules[0].message.contains("CPUID SMEP"))
    #expect(Fixture.unpinned.preview(.mov(.cr4, vm.regs.cr4 | CR4.smep), on: 0).kind == .ok)
  }

  @Test("pinned-high SMEP cleared → #GP; other bits can change")
  func pinHigh() {
    let vm = Fixture.booted
    let fires = vm.preview(.mov(.cr4, vm.regs.cr4 & ~CR4.smep), on: 0)
    #expect(fires.ruleIDs == [.pinCR4High])
    #expect(fires.rules[0].message == "CR4.SMEP (bit 20, 0x100000) is pinned high: the write would clear it.")
    #expect(vm.preview(.mov(.cr4, vm.regs.cr4 & ~CR4.pge), on: 0).kind == .ok)
  }

  @Test("pinned-low SMAP set → #GP; other bits can change")
  func pinLow() {
    var vm = Fixture.unpinned
    vm.apply(.mov(.cr4, vm.regs.cr4 & ~CR4.smap), on: 0)
    vm.apply(.wrmsr(MSRNumber.cr4PinnedLow, CR4.smap), on: 0)
    #expect(vm.preview(.mov(.cr4, vm.regs.cr4 | CR4.smap), on: 0).ruleIDs == [.pinCR4Low])
    #expect(vm.preview(.mov(.cr4, vm.regs.cr4 | CR4.pke), on: 0).kind == .ok)
  }

  @Test("in long mode PAE must stay set")
  func longModeNeedsPAE() {
    let vm = Fixture.booted
    #expect(vm.preview(.mov(.cr4, vm.regs.cr4 & ~CR4.pae), on: 0).ruleIDs == [.cr4LongModeNeedsPAE])
  }

  @Test("PCIDE needs the PCID feature, CR3[11:0] = 0 and long mode")
  func pcide() {
    var noPCID = VMOptions()
    noPCID.cpu.features.remove(.pcid)
    let withoutFeature = VirtualMachine(bootedWith: 1, options: noPCID)
    #expect(
      withoutFeature.preview(.mov(.cr4, withoutFeature.regs.cr4 | CR4.pcide), on: 0).ruleIDs
        == [.cr4PCIDENeedsPCID])
    let booted = Fixture.booted
    var vm = Fixture.after([.mov(.cr4, booted.regs.cr4 & ~CR4.pcide), .mov(.cr3, 0xb41_c005)])
    #expect(vm.preview(.mov(.cr4, booted.regs.cr4), on: 0).ruleIDs == [.cr4PCIDENeedsZeroPCID])
    vm.apply(.mov(.cr3, 0xb41_c000), on: 0)
    #expect(vm.preview(.mov(.cr4, booted.regs.cr4), on: 0).kind == .ok)
    let real = Fixture.fresh
    #expect(real.preview(.mov(.cr4, CR4.pcide), on: 0).ruleIDs == [.cr4PCIDENeedsLongMode])
  }

  @Test("VMXE needs VMX and cannot be set in SMM")
  func vmxe() {
    var noVMX = VMOptions()
    noVMX.cpu.features.remove(.vmx)
    let vm = VirtualMachine(bootedWith: 1, options: noVMX)
    #expect(vm.preview(.mov(.cr4, vm.regs.cr4 | CR4.vmxe), on: 0).ruleIDs == [.cr4VMXENeedsVMX])
    #expect(Fixture.booted.preview(.mov(.cr4, vm.regs.cr4 | CR4.vmxe), on: 0).kind == .ok)
    let smm = Fixture.after([.smi])
    #expect(smm.preview(.mov(.cr4, CR4.vmxe), on: 0).ruleIDs == [.cr4VMXEInSMM])
  }

  @Test("CR3 bits above MAXPHYADDR are reserved in long mode; the no-flush bit is stripped")
  func cr3() {
    let vm = Fixture.booted
    #expect(vm.preview(.mov(.cr3, 1 << 50), on: 0).ruleIDs == [.cr3Reserved])
    #expect(vm.preview(.mov(.cr3, 1 << 45), on: 0).kind == .ok)
    let noFlush = vm.preview(.mov(.cr3, CR3.noFlush | 0x1000), on: 0)
    #expect(noFlush.kind == .ok)
    #expect(noFlush.after.regs.cr3 == 0x1000)
  }

  @Test("EFER: reserved bits, and LME cannot change while paging (guest only)")
  func efer() {
    let vm = Fixture.booted
    #expect(vm.preview(.wrmsr(MSRNumber.efer, vm.regs.efer | 1 << 3), on: 0).ruleIDs == [.eferReserved])
    #expect(vm.preview(.hostWrmsr(MSRNumber.efer, 1 << 3), on: 0).kind == .rejected)
    #expect(vm.preview(.wrmsr(MSRNumber.efer, EFERBits.sce), on: 0).ruleIDs == [.eferLMEWhilePaging])
    #expect(vm.preview(.hostWrmsr(MSRNumber.efer, EFERBits.sce), on: 0).kind == .ok)
    let lma = vm.preview(.wrmsr(MSRNumber.efer, vm.regs.efer & ~EFERBits.lma), on: 0)
    #expect(lma.kind == .ok)
    #expect(lma.after.regs.efer == 0xd01, "LMA is read-only")
  }
}
