import Engine
import Testing

/// Every pin-MSR write rule, for the guest (#GP) and the host (rejected).
@Suite("pin MSR rules")
struct MSRRuleTests {
  /// Guest and host, with the outcome kind a failure takes for each.
  static let writers: [(host: Bool, failure: OutcomeKind)] = [(false, .gp), (true, .rejected)]

  static func write(_ msr: UInt32, _ value: UInt64, host: Bool) -> Action {
    host ? .hostWrmsr(msr, value) : .wrmsr(msr, value)
  }

  @Test("PIN_ALLOWED accepts only its own value", arguments: [false, true])
  func allowedReadOnly(host: Bool) {
    let vm = Fixture.booted
    for (msr, mask) in [(MSRNumber.cr0PinAllowed, UInt64(0x10000)), (MSRNumber.cr4PinAllowed, 0x30_0800)] {
      #expect(vm.preview(Self.write(msr, mask, host: host), on: 0).kind == .ok)
      let refused = vm.preview(Self.write(msr, mask | 1, host: host), on: 0)
      #expect(refused.kind == (host ? .rejected : .gp))
      #expect(refused.ruleIDs == [.msrPinAllowedReadOnly])
      #expect(refused.after == vm)
    }
  }

  @Test("pinning a bit outside the allowed mask is refused", arguments: [false, true])
  func notAllowed(host: Bool) {
    let vm = Fixture.unpinned
    let refused = vm.preview(Self.write(MSRNumber.cr4PinnedHigh, CR4.pae, host: host), on: 0)
    #expect(refused.kind == (host ? .rejected : .gp))
    #expect(refused.ruleIDs == [.msrPinNotAllowed])
    #expect(refused.rules[0].message.hasPrefix("CR4.PAE (bit 5, 0x20) may not be pinned"))
    #expect(vm.preview(Self.write(MSRNumber.cr4PinnedHigh, CR4.smep, host: host), on: 0).kind == .ok)
    #expect(
      vm.preview(Self.write(MSRNumber.cr0PinnedLow, CR0.pe, host: host), on: 0).ruleIDs == [.msrPinNotAllowed]
    )
  }

  @Test("pinning a bit both ways is refused", arguments: [false, true])
  func opposite(host: Bool) {
    let vm = Fixture.booted
    let refused = vm.preview(Self.write(MSRNumber.cr4PinnedLow, CR4.smep, host: host), on: 0)
    #expect(refused.kind == (host ? .rejected : .gp))
    #expect(refused.ruleIDs == [.msrPinOpposite])
    let cr0 = vm.preview(Self.write(MSRNumber.cr0PinnedLow, CR0.wp, host: host), on: 0)
    #expect(cr0.ruleIDs == [.msrPinOpposite])
    #expect(vm.preview(Self.write(MSRNumber.cr4PinnedLow, 0, host: host), on: 0).kind == .ok)
  }

  @Test("the guest cannot drop a pin; the host can")
  func shrink() {
    let vm = Fixture.booted
    let guest = vm.preview(.wrmsr(MSRNumber.cr4PinnedHigh, CR4.smep), on: 0)
    #expect(guest.kind == .gp)
    #expect(guest.ruleIDs == [.msrPinGuestShrink])
    #expect(guest.rules[0].message.contains("CR4.UMIP (bit 11, 0x800) and CR4.SMAP (bit 21, 0x200000)"))
    let host = vm.preview(.hostWrmsr(MSRNumber.cr4PinnedHigh, CR4.smep), on: 0)
    #expect(host.kind == .ok)
    #expect(host.after.effectivePins(on: 0).cr4High == CR4.smep)
    #expect(vm.preview(.wrmsr(MSRNumber.cr4PinnedHigh, 0x30_0800), on: 0).kind == .ok)
  }

  @Test("every failing check is reported together")
  func allTogether() {
    let vm = Fixture.booted
    let outcome = vm.preview(.wrmsr(MSRNumber.cr4PinnedLow, CR4.pae | CR4.smep), on: 0)
    #expect(outcome.ruleIDs == [.msrPinNotAllowed, .msrPinOpposite])
  }

  @Test("reads return the masks and the constants, for guest and host")
  func reads() {
    let vm = Fixture.booted
    let expected: [(UInt32, UInt64)] = [
      (MSRNumber.cr0PinAllowed, 0x10000), (MSRNumber.cr4PinAllowed, 0x30_0800),
      (MSRNumber.cr0PinnedLow, 0), (MSRNumber.cr0PinnedHigh, 0x10000),
      (MSRNumber.cr4PinnedLow, 0), (MSRNumber.cr4PinnedHigh, 0x30_0800), (MSRNumber.efer, 0xd01),
    ]
    for (msr, value) in expected {
      #expect(vm.preview(.rdmsr(msr), on: 0).value == value)
      #expect(vm.preview(.hostRdmsr(msr), on: 0).value == value)
    }
    #expect(vm.preview(.rdmsr(MSRNumber.cr4PinnedHigh), on: 0).notes.contains { $0.hasPrefix("D2:") })
  }

  @Test("unknown MSRs: #GP for the guest, rejected for the host", arguments: [UInt32(0x10), 0x4b56_4d0e])
  func unknown(msr: UInt32) {
    let vm = Fixture.booted
    #expect(vm.preview(.wrmsr(msr, 0), on: 0).ruleIDs == [.msrUnknown])
    #expect(vm.preview(.rdmsr(msr), on: 0).kind == .gp)
    #expect(vm.preview(.hostWrmsr(msr, 0), on: 0).kind == .rejected)
    #expect(vm.preview(.hostRdmsr(msr), on: 0).kind == .rejected)
  }

  @Test("without the patch the pin MSRs are unknown; without the CPUID bit they still work (D4)")
  func optionsGateMSRs() {
    var noPatch = Fixture.booted
    noPatch.apply(.option(.kvmPin, false), on: 0)
    #expect(noPatch.effectivePins(on: 0) == .none)
    let refused = noPatch.preview(.wrmsr(MSRNumber.cr4PinnedHigh, CR4.smep), on: 0)
    #expect(refused.kind == .gp)
    #expect(refused.ruleIDs == [.msrUnknown])
    var hidden = Fixture.booted
    hidden.apply(.option(.cpuidPin, false), on: 0)
    let works = hidden.preview(.wrmsr(MSRNumber.cr4PinnedHigh, 0x30_0800), on: 0)
    #expect(works.kind == .ok)
    #expect(works.notes.contains { $0.hasPrefix("D4:") })
  }
}
