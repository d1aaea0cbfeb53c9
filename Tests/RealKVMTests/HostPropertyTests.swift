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

  @Test func noPropertiesAreKnownForHardwareKVM() {
    #expect(HostProperty.known(for: "kvm_intel").isEmpty)
    #expect(HostProperty.known(for: "kvm_amd").isEmpty)
  }
}
