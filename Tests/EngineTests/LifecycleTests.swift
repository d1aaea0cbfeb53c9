import Engine
import Testing

@Suite("reset, reboot, migration, options, kernel writes")
struct LifecycleTests {
  @Test("reset clears the pins and restores the architectural values; other vCPUs keep theirs")
  func resetOneVCPU() {
    var vm = VirtualMachine(bootedWith: 2)
    #expect(vm.apply(.reset, on: 1).kind == .ok)
    #expect(vm.effectivePins(on: 1) == .none)
    #expect(vm.vcpus[1].registers == .reset)
    #expect(vm.effectivePins(on: 0).cr4High == 0x30_0800)
    #expect(vm.apply(.mov(.cr0, 0x6000_0011), on: 1).kind == .ok, "bring-up without WP works")
    #expect(vm.apply(.boot, on: 1).kind == .ok)
    #expect(vm.effectivePins(on: 1).cr4High == 0x30_0800, "vCPU 1 re-pins")
  }

  @Test("no such vCPU is rejected")
  func noSuchVCPU() {
    #expect(Fixture.booted.preview(.smi, on: 3).ruleIDs == [.noSuchVCPU])
  }

  @Test("migration with and without the pin MSRs")
  func migrate() {
    var dropped = Fixture.booted
    dropped.apply(.migrate(dropPins: true), on: 0)
    #expect(dropped.effectivePins(on: 0) == .none)
    #expect(dropped.regs == Fixture.booted.regs)
    #expect(dropped.apply(.mov(.cr4, 0x26_0ef0), on: 0).kind == .ok)
    var carried = Fixture.booted
    carried.apply(.migrate(dropPins: false), on: 0)
    #expect(carried.apply(.mov(.cr4, 0x26_0ef0), on: 0).kind == .gp)
  }

  @Test("kexec with pins: relocate_kernel's CR0 write without WP takes #GP")
  func kexecFaults() {
    let outcome = Fixture.booted.preview(.kexec, on: 0)
    #expect(outcome.kind == .gp)
    #expect(outcome.ruleIDs == [.pinCR0High])
    #expect(outcome.steps.count == 1)
    let unpinned = Fixture.unpinned.preview(.kexec, on: 0)
    #expect(unpinned.kind == .ok)
    #expect(unpinned.after.regs == Fixture.booted.regs)
  }

  @Test("kernel write under native pinning only: SMEP put back with a warning")
  func kernelWriteNative() {
    let outcome = Fixture.unpinned.preview(.kernelWrite(.cr4, 0x26_0ef0), on: 0)
    #expect(outcome.kind == .ok)
    #expect(outcome.after.regs.cr4 == 0x36_0ef0)
    #expect(outcome.steps.map(\.action) == [.mov(.cr4, 0x26_0ef0), .mov(.cr4, 0x36_0ef0)])
    #expect(outcome.notes.contains { $0.contains("`pinned CR4 bits changed: 0x100000!?`") })
    let wp = Fixture.unpinned.preview(.kernelWrite(.cr0, 0x8004_0033), on: 0)
    #expect(wp.after.regs.cr0 == 0x8005_0033)
    #expect(wp.notes.contains { $0.contains("CR0 WP bit went missing!?") })
  }

  @Test("a raw mov (ROP gadget) under native pinning only: SMEP stays off")
  func ropGadgetNative() {
    let outcome = Fixture.unpinned.preview(.mov(.cr4, 0x26_0ef0), on: 0)
    #expect(outcome.kind == .ok)
    #expect(outcome.after.regs.cr4 == 0x26_0ef0)
  }

  @Test("kernel write under paravirtual pinning: #GP at the first mov")
  func kernelWritePV() {
    let outcome = Fixture.booted.preview(.kernelWrite(.cr4, 0x26_0ef0), on: 0)
    #expect(outcome.kind == .gp)
    #expect(outcome.ruleIDs == [.pinCR4High])
    #expect(outcome.steps.count == 1)
  }

  @Test("native pinning off: kernel write leaves SMEP off")
  func nativeOff() {
    var vm = Fixture.unpinned
    vm.apply(.option(.nativePin, false), on: 0)
    #expect(vm.apply(.kernelWrite(.cr4, 0x26_0ef0), on: 0).after.regs.cr4 == 0x26_0ef0)
  }
}
