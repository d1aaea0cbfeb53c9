import Engine
import Testing

/// Linux 5.8's native CR4 pinning is mask + value (a13b9d0b9721): SMEP, SMAP, UMIP and FSGSBASE
/// are each held at their boot value, so FSGSBASE, clear on a 5.8 boot, is pinned to 0.
/// The VM has no hypervisor pins (`Fixture.unpinned`), so only the kernel's check acts.
@Suite("native pinning: Linux 5.8's mask + value")
struct NativePinningTests {
  static let bootCR4: UInt64 = 0x36_0ef0

  @Test(
    "a kernel write that changes pinned bits is put back to the boot values, with 5.8's warning",
    arguments: [
      (bootCR4 | CR4.fsgsbase, "0x10000"),
      (bootCR4 & ~CR4.smep, "0x100000"),
      ((bootCR4 & ~CR4.smap) | CR4.fsgsbase, "0x210000"),
      (bootCR4 & ~(CR4.smep | CR4.smap | CR4.umip), "0x300800"),
    ])
  func restoresBootValues(value: UInt64, changed: String) {
    var vm = Fixture.unpinned
    #expect(vm.nativePinnedCR4 == CR4.smep | CR4.smap | CR4.umip)
    let outcome = vm.apply(.kernelWrite(.cr4, value), on: 0)
    #expect(outcome.kind == .ok)
    #expect(vm.regs.cr4 == Self.bootCR4)
    let warning = "pinned CR4 bits changed: \(changed)!?"
    #expect(outcome.layers.last?.name == "native")
    #expect(outcome.layers.last?.verdict == "restored \(changed) and warned `\(warning)`")
    #expect(outcome.notes.contains { $0.contains(warning) })
  }

  @Test("setting FSGSBASE through the kernel: the note says it was cleared again, pinned to 0")
  func fsgsbaseNote() {
    var vm = Fixture.unpinned
    let outcome = vm.apply(.kernelWrite(.cr4, Self.bootCR4 | CR4.fsgsbase), on: 0)
    #expect(
      outcome.notes.contains {
        $0.contains("cleared CR4.FSGSBASE (bit 16, 0x10000) again (pinned to 0)")
      })
    #expect(vm.regs.cr4 & CR4.fsgsbase == 0)
  }

  @Test("a write that keeps every pinned bit at its boot value is not corrected")
  func unchangedPinnedBits() {
    var vm = Fixture.unpinned
    let outcome = vm.apply(.kernelWrite(.cr4, Self.bootCR4 & ~CR4.pge), on: 0)
    #expect(vm.regs.cr4 == Self.bootCR4 & ~CR4.pge)
    #expect(outcome.layers.last == Layer(.nativePinning, .nothingMissing))
  }

  @Test("a raw mov (a ROP gadget) skips the kernel's check: FSGSBASE stays set")
  func rawMovIsNotChecked() {
    var vm = Fixture.unpinned
    #expect(vm.apply(.mov(.cr4, Self.bootCR4 | CR4.fsgsbase), on: 0).kind == .ok)
    #expect(vm.regs.cr4 & CR4.fsgsbase != 0)
  }

  @Test("with native pinning off the kernel write stands")
  func offLetsTheWriteStand() {
    var vm = Fixture.after([.option(.nativePin, false)], from: Fixture.unpinned)
    #expect(vm.apply(.kernelWrite(.cr4, Self.bootCR4 | CR4.fsgsbase), on: 0).kind == .ok)
    #expect(vm.regs.cr4 & CR4.fsgsbase != 0)
  }

  @Test("CR0 stays pin-to-1 for WP only (8dbec27a242c): other CR0 bits are not held")
  func cr0IsWPOnly() {
    var vm = Fixture.unpinned
    let cr0 = vm.regs.cr0
    #expect(
      vm.apply(.kernelWrite(.cr0, cr0 & ~CR0.wp), on: 0).notes.contains {
        $0.contains("CR0 WP bit went missing!?")
      })
    #expect(vm.regs.cr0 == cr0)
    #expect(vm.apply(.kernelWrite(.cr0, cr0 & ~CR0.am), on: 0).kind == .ok)
    #expect(vm.regs.cr0 == cr0 & ~CR0.am)
  }

  @Test("after any kernel write with native pinning in force, the masked CR4 bits hold their boot values")
  func propertyMaskedBitsHold() {
    ActionGenerator.walk(seed: 58, count: 100) { before, action, outcome in
      guard case .kernelWrite(.cr4, _) = action, outcome.kind == .ok, before.nativePinningActive,
        let pinned = before.nativePinnedCR4
      else { return }
      var after = before
      _ = after.apply(action, on: 0)
      #expect(after.regs.cr4 & before.nativePinMaskOfKernel(.cr4) == pinned, "\(action)")
    }
  }
}
