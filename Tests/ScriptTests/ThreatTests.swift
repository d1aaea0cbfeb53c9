import Engine
import Script
import Testing

/// `crpin threats`: every cell recomputed from its attack script, and checked against the
/// engine driven directly.
@Suite("threats")
struct ThreatTests {
  @Test("the matrix, recomputed, golden")
  func golden() {
    #expect(ThreatMatrix().markdown == Self.markdown)
  }

  @Test("each SMEP verdict agrees with the engine driven without the script language")
  func agreesWithEngine() {
    let noSMEP: (UInt64) -> UInt64 = { $0 & ~CR4.smep }
    for mechanism in Mechanism.allCases {
      let booted = Comparison.startingVM(mechanism)
      var rop = booted
      rop.apply(.mov(.cr4, noSMEP(rop.vcpus[0].registers.cr4)), on: 0)
      var kernel = booted
      kernel.apply(.kernelWrite(.cr4, noSMEP(kernel.vcpus[0].registers.cr4)), on: 0)
      var smm = booted
      smm.apply(.smi, on: 0)
      smm.apply(.smram(.cr4, noSMEP(booted.vcpus[0].registers.cr4)), on: 0)
      smm.apply(.rsm, on: 0)
      var nested = booted
      nested.apply(.vmcs12(.hostCR4, noSMEP(booted.vcpus[0].registers.cr4)), on: 0)
      nested.apply(.vmentry, on: 0)
      nested.apply(.vmexit, on: 0)
      let cases: [(Threat, VirtualMachine)] = [
        (.rop, rop), (.kernelPath, kernel), (.smm, smm), (.vmcs12, nested),
      ]
      for (threat, vm) in cases {
        let off = !vm.stopped && vm.vcpus[0].registers.cr4 & CR4.smep == 0
        let verdict = threat.attacks[0].verdict(under: mechanism)
        #expect(verdict.hasSuffix(": SMEP off") == off, "\(threat.rawValue) under \(mechanism.rawValue)")
      }
    }
  }

  @Test("the scripts print and parse")
  func scripts() throws {
    for threat in Threat.allCases {
      for attack in threat.attacks { _ = try parseScript(attack.source).get() }
    }
    #expect(
      ThreatMatrix.scripts.contains("# (c) code execution in SMM\nsmi\nsmram cr4, smram.cr4 & ~SMEP\nrsm"))
  }

  static let markdown = """
    | attacker | kvm-2020 | kvm-rfc2 | heki | vtl1 | xen-vm-event | native | none |
    | --- | --- | --- | --- | --- | --- | --- | --- |
    | (a) a ROP chain reaching mov cr4 | #GP: SMEP stays on | #GP: SMEP stays on | #GP: SMEP stays on | dropped: SMEP stays on | dropped: SMEP stays on | ok: SMEP off | ok: SMEP off |
    | (b) the kernel's own write path | #GP: SMEP stays on | #GP: SMEP stays on | #GP: SMEP stays on | dropped: SMEP stays on | dropped: SMEP stays on | restored+warned: SMEP stays on | ok: SMEP off |
    | (c) code execution in SMM | VM stops: SMEP stays on, the VM is down | ok, rewritten: SMEP stays on | ok: SMEP off [inference] | ok: SMEP off | ok: SMEP off | ok: SMEP off | ok: SMEP off |
    | (d) control of L1's vmcs12 | ok, forced: SMEP stays on | ok: SMEP off [inference] | ok: SMEP off [inference] | ok: SMEP off | ok: SMEP off | ok: SMEP off | ok: SMEP off |
    | (e) a VMM that forgets the pin state | reboot keeping stale pins: boot #GP (the guest cannot boot); a correct reboot: boot ok; migration dropping the pins: ok: SMEP off | reboot keeping stale pins: boot #GP (the guest cannot boot); a correct reboot: boot ok; migration dropping the pins: ok: SMEP off | reboot keeping stale pins: boot #GP (the guest cannot boot); a correct reboot: boot #GP (the guest cannot boot); migration dropping the pins: ok: SMEP off [inference] | reboot keeping stale pins: boot ok; a correct reboot: boot ok; migration dropping the pins: dropped: SMEP stays on | reboot keeping stale pins: boot ok; a correct reboot: boot ok; migration dropping the pins: dropped: SMEP stays on | reboot keeping stale pins: boot ok; a correct reboot: boot ok; migration dropping the pins: ok: SMEP off | reboot keeping stale pins: boot ok; a correct reboot: boot ok; migration dropping the pins: ok: SMEP off |
    """
}
