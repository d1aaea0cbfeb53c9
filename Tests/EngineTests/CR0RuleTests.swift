import Engine
import Testing

/// Each MOV-to-CR0 rule fires, and a value that just misses it does not.
@Suite("MOV to CR0 rules")
struct CR0RuleTests {
  @Test("bits 63:32 set → #GP; bit 31 alone is fine")
  func reservedHigh() {
    let vm = Fixture.booted
    let fires = vm.preview(.mov(.cr0, vm.regs.cr0 | 1 << 32), on: 0)
    #expect(fires.kind == .gp)
    #expect(fires.ruleIDs == [.cr0ReservedHigh])
    #expect(vm.preview(.mov(.cr0, vm.regs.cr0), on: 0).kind == .ok)
  }

  @Test("NW without CD → #GP; NW with CD is fine")
  func nwWithoutCD() {
    let vm = Fixture.fresh
    let fires = vm.preview(.mov(.cr0, CR0.nw | CR0.et), on: 0)
    #expect(fires.ruleIDs == [.cr0NWWithoutCD])
    #expect(vm.preview(.mov(.cr0, CR0.nw | CR0.cd | CR0.et), on: 0).kind == .ok)
  }

  @Test("PG without PE → #GP; PG with PE (and PAE, LME) is fine")
  func pgWithoutPE() {
    var vm = Fixture.fresh
    vm.apply(.mov(.cr4, CR4.pae), on: 0)
    vm.apply(.wrmsr(MSRNumber.efer, EFERBits.lme), on: 0)
    #expect(vm.preview(.mov(.cr0, CR0.pg), on: 0).ruleIDs == [.cr0PGWithoutPE])
    let ok = vm.preview(.mov(.cr0, CR0.pg | CR0.pe), on: 0)
    #expect(ok.kind == .ok)
    #expect(ok.after.regs.efer & EFERBits.lma != 0, "paging on with LME activates long mode")
  }

  @Test("pinned-high WP cleared → #GP and CR0 unchanged; keeping WP is fine")
  func pinHigh() {
    let vm = Fixture.booted
    let fires = vm.preview(.mov(.cr0, vm.regs.cr0 & ~CR0.wp), on: 0)
    #expect(fires.kind == .gp)
    #expect(fires.ruleIDs == [.pinCR0High])
    #expect(fires.rules[0].message.contains("CR0.WP (bit 16, 0x10000) is pinned high"))
    #expect(fires.after.regs.cr0 == vm.regs.cr0)
    #expect(vm.preview(.mov(.cr0, vm.regs.cr0 & ~CR0.am), on: 0).kind == .ok)
  }

  @Test("pinned-low WP set → #GP; leaving it clear is fine")
  func pinLow() {
    var vm = Fixture.unpinned
    vm.apply(.mov(.cr0, vm.regs.cr0 & ~CR0.wp), on: 0)
    vm.apply(.hostWrmsr(MSRNumber.cr0PinnedLow, CR0.wp), on: 0)
    #expect(vm.preview(.mov(.cr0, vm.regs.cr0 | CR0.wp), on: 0).ruleIDs == [.pinCR0Low])
    #expect(vm.preview(.mov(.cr0, vm.regs.cr0), on: 0).kind == .ok)
  }

  @Test("paging on with LME but no PAE → #GP; with PAE fine")
  func longModeNeedsPAE() {
    var vm = Fixture.fresh
    vm.apply(.wrmsr(MSRNumber.efer, EFERBits.lme), on: 0)
    #expect(vm.preview(.mov(.cr0, CR0.pg | CR0.pe), on: 0).ruleIDs == [.cr0LongModeNeedsPAE])
    vm.apply(.mov(.cr4, CR4.pae), on: 0)
    #expect(vm.preview(.mov(.cr0, CR0.pg | CR0.pe), on: 0).kind == .ok)
  }

  @Test("paging off while PCIDE → #GP; paging off without PCIDE is fine")
  func pgOffWithPCIDE() {
    let vm = Fixture.booted
    #expect(vm.preview(.mov(.cr0, vm.regs.cr0 & ~CR0.pg), on: 0).ruleIDs == [.cr0PGOffWithPCIDE])
    let noPCID = Fixture.after([.mov(.cr4, vm.regs.cr4 & ~CR4.pcide)], from: vm)
    let off = noPCID.preview(.mov(.cr0, vm.regs.cr0 & ~CR0.pg), on: 0)
    #expect(off.kind == .ok)
    #expect(off.after.regs.efer & EFERBits.lma == 0, "paging off leaves long mode")
  }

  @Test("every failing check is reported, in KVM's order")
  func everyRuleInOrder() {
    let vm = Fixture.booted
    let value: UInt64 = (1 << 40) | CR0.nw | CR0.pg
    #expect(
      vm.preview(.mov(.cr0, value), on: 0).ruleIDs == [
        .cr0ReservedHigh, .cr0NWWithoutCD, .cr0PGWithoutPE, .pinCR0High,
      ])
  }

  @Test("reserved low bits are dropped silently and ET is forced on")
  func reservedLowDropped() {
    let vm = Fixture.booted
    let outcome = vm.preview(.mov(.cr0, (vm.regs.cr0 & ~CR0.et) | 1 << 8), on: 0)
    #expect(outcome.kind == .ok)
    #expect(outcome.after.regs.cr0 == vm.regs.cr0)
    #expect(outcome.notes.contains { $0.contains("dropped reserved CR0 bits 0x100") })
    #expect(outcome.notes.contains { $0.contains("forces CR0.ET") })
  }
}
