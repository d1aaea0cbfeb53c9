import Engine
import Testing

@testable import RealKVM

@Suite struct HostPropertyTests {
  @Test func highBitsDroppedExplainsOnlyAHighBitWriteTheModelRefused() {
    let property = HostProperty.known(for: "kvm_pvm").first { $0.id == "pvm.cr-high-bits-dropped" }
    let before = Registers(cr0: 0x8005_0033, cr3: 0x1000, cr4: 0x6f0, efer: 0xd01)
    #expect(property?.explains(.mov(.cr4, 1 << 40 | 0x6f0), before, .gp, .ok, .default) == true)
    #expect(property?.explains(.mov(.cr4, 0x6f0), before, .gp, .ok, .default) == false)
  }

  @Test func hardwareKVMHasOnlyTheChecksLaterKVMAdded() {
    for module in ["kvm_intel", "kvm_amd"] {
      #expect(HostProperty.known(for: module).map(\.id).allSatisfy { $0.hasPrefix("later-kvm.") })
    }
    #expect(HostProperty.known(for: "kvm_pvm").contains { $0.id.hasPrefix("pvm.") })
  }

  @Test func aSregsCR0CheckExplainsOnlyAnInvalidCR0TheHostRefused() {
    let property = HostProperty.known(for: "kvm_amd").first { $0.id == "later-kvm.set-sregs-checks-cr0" }
    let before = Registers(cr0: 0x8005_0033, cr3: 0x1000, cr4: 0x6f0, efer: 0xd01)
    let refused = RealOutcome.Kind.refused("KVM_SET_SREGS: Invalid argument")
    let nw = Action.hostSregs(cr0: 0xa005_0033, cr3: nil, cr4: nil, efer: nil)
    #expect(property?.explains(nw, before, .ok, refused, .default) == true)
    #expect(property?.explains(nw, before, .ok, .ok, .default) == false)
    let valid = Action.hostSregs(cr0: 0xe005_0033, cr3: nil, cr4: nil, efer: nil)
    #expect(property?.explains(valid, before, .ok, refused, .default) == false)
  }
}
