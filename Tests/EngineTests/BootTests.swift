import Engine
import Testing

@Suite("boot")
struct BootTests {
  @Test("the default VM starts booted at the reference values, pinned")
  func defaultVMIsBooted() {
    let vm = VirtualMachine(bootedWith: 1)
    let registers = vm.vcpus[0].registers
    #expect(registers.cr0 == 0x8005_0033)
    #expect(registers.cr4 == 0x36_0ef0)
    #expect(registers.efer == 0xd01)
    #expect(registers.cr3 == 0xb41_c000)
    #expect(vm.effectivePins(on: 0) == PinMasks(cr0High: 0x10000, cr4High: 0x30_0800))
    #expect(vm.nativePinnedCR4 == 0x30_0800)
    #expect(!vm.stopped)
  }

  @Test("boot after reset starts from the reset values without another reset")
  func bootAfterReset() {
    var vm = VirtualMachine(bootedWith: 1)
    vm.apply(.reset, on: 0)
    let outcome = vm.apply(.boot, on: 0)
    #expect(outcome.kind == .ok)
    #expect(outcome.steps.first?.action == .mov(.cr0, 0x6000_0011))
  }

  @Test("boot on a vCPU that has run resets it first")
  func bootResetsFirst() {
    var vm = VirtualMachine(bootedWith: 1)
    let outcome = vm.apply(.boot, on: 0)
    #expect(outcome.kind == .ok)
    #expect(outcome.steps.first?.action == .reset)
    #expect(vm.vcpus[0].registers.cr4 == 0x36_0ef0)
  }

  @Test("without the CPUID bit the guest does not pin")
  func noCPUIDNoPins() {
    var options = VMOptions()
    options.cpuidPin = false
    let vm = VirtualMachine(bootedWith: 1, options: options)
    #expect(vm.effectivePins(on: 0) == .none)
    #expect(vm.vcpus[0].registers.cr4 == 0x36_0ef0)
  }

  @Test("a reboot with stale pins makes the boot's first CR0 write take #GP")
  func rebootStale() {
    var vm = VirtualMachine(bootedWith: 1)
    #expect(vm.apply(.reboot(keepPins: true), on: 0).kind == .ok)
    #expect(vm.effectivePins(on: 0).cr0High == 0x10000)
    let outcome = vm.apply(.boot, on: 0)
    #expect(outcome.kind == .gp)
    #expect(outcome.ruleIDs == [.pinCR0High])
    #expect(outcome.steps.last?.action == .mov(.cr0, 0x6000_0011))
    vm.apply(.reboot(keepPins: false), on: 0)
    #expect(vm.apply(.boot, on: 0).kind == .ok)
  }
}
