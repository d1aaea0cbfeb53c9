import Engine
import Testing

/// Every CR0 and CR4 bit, 0 to 63: how a toggle and a pin request behave.
@Suite("every bit")
struct BitTableTests {
  @Test("CR0: toggling each bit from the booted state", arguments: 0..<64)
  func cr0Toggle(index: Int) {
    let vm = Fixture.booted
    let mask = UInt64(1) << UInt64(index)
    let outcome = vm.preview(.mov(.cr0, vm.regs.cr0 ^ mask), on: 0)
    let expected: [RuleID] =
      switch mask {
      case _ where index >= 32: [.cr0ReservedHigh]
      case CR0.wp: [.pinCR0High]
      case CR0.nw: [.cr0NWWithoutCD]
      case CR0.pe: [.cr0PGWithoutPE]
      case CR0.pg: [.cr0PGOffWithPCIDE]
      default: []
      }
    #expect(outcome.ruleIDs == expected)
    if expected.isEmpty {
      let defined = CR0.defined & ~CR0.et
      #expect(outcome.after.regs.cr0 == (defined & mask != 0 ? vm.regs.cr0 ^ mask : vm.regs.cr0))
    }
  }

  @Test("CR4: toggling each bit from the booted state", arguments: 0..<64)
  func cr4Toggle(index: Int) {
    let vm = Fixture.booted
    let mask = UInt64(1) << UInt64(index)
    let outcome = vm.preview(.mov(.cr4, vm.regs.cr4 ^ mask), on: 0)
    let expected: [RuleID] =
      switch mask {
      case _ where CR4.knownToKVM & mask == 0: [.cr4Reserved]
      case CR4.smep, CR4.smap, CR4.umip: [.pinCR4High]
      case CR4.pae: [.cr4LongModeNeedsPAE]
      default: []
      }
    #expect(outcome.ruleIDs == expected)
    #expect(outcome.kind == (expected.isEmpty ? .ok : .gp))
  }

  @Test("pinning each CR0 and CR4 bit high as the guest", arguments: 0..<64)
  func pinEachBit(index: Int) {
    let vm = Fixture.unpinned
    let mask = UInt64(1) << UInt64(index)
    for (msr, register) in [(MSRNumber.cr0PinnedHigh, PinnableRegister.cr0), (MSRNumber.cr4PinnedHigh, .cr4)]
    {
      let outcome = vm.preview(.wrmsr(msr, mask), on: 0)
      let pinnable = BitCatalog.bit(register, index: index)?.pinnable ?? false
      #expect(outcome.kind == (pinnable ? .ok : .gp), "\(register.displayName) bit \(index)")
      #expect(outcome.ruleIDs == (pinnable ? [] : [.msrPinNotAllowed]))
    }
  }

  @Test("the catalogue marks exactly WP, SMEP, SMAP, UMIP pinnable and gates CR4 bits on CPUID")
  func catalogue() {
    let pinnable = (BitCatalog.cr0 + BitCatalog.cr4).filter(\.pinnable).map(\.qualifiedName)
    #expect(pinnable == ["CR0.WP", "CR4.UMIP", "CR4.SMEP", "CR4.SMAP"])
    #expect(CPUModel.default.reservedCR4 == ~CR4.knownToKVM)
    var lacking = CPUModel.default
    lacking.features = []
    #expect(
      lacking.reservedCR4 & CR4.knownToKVM
        == CR4.osxsave | CR4.smep | CR4.smap | CR4.fsgsbase | CR4.pke | CR4.la57 | CR4.umip)
    #expect(
      CR0.defined == CR0.pe | CR0.mp | CR0.em | CR0.ts | CR0.et | CR0.ne | CR0.wp | CR0.am | CR0.nw | CR0.cd
        | CR0.pg)
    let known = (BitCatalog.cr4.filter(\.knownToKVM).map(\.mask)).reduce(0, |)
    #expect(CR4.knownToKVM == known, "the literal mask matches the catalogue")
    #expect(EFERBits.defined == EFERBits.sce | EFERBits.lme | EFERBits.lma | EFERBits.nxe)
    #expect(
      CPUFeature.allCases.map { CPUFeatureSet($0) }
        == [.umip, .la57, .vmx, .fsgsbase, .pcid, .xsave, .smep, .smap, .pku, .cet, .lam])
    #expect(
      CPUFeatureSet.all.union([.cet, .lam]) == CPUFeatureSet(CPUFeature.allCases.map { CPUFeatureSet($0) }),
      "the default model has every feature but CET and LAM (KVM 5.8 knows neither)")
    #expect(BitCatalog.lookup("cr4.smep")?.index == 20)
    #expect(BitCatalog.lookup("WP")?.register == .cr0)
    #expect(BitCatalog.lookup("cr0.smep") == nil)
  }
}
