import Engine
import Script
import Testing

@testable import RealKVM

@Suite struct HostIdentityTests {
  /// A host whose guest CPUID has SMEP and UMIP, MAXPHYADDR 39, and optionally the KVM leaves
  /// with KVM_FEATURE_CR_PIN.
  func host(pinFeature: Bool) -> HostIdentity {
    var leaves = [
      CPUIDLeaf(function: 7, index: 0, eax: 0, ebx: 1 << 7, ecx: 1 << 2, edx: 0),
      CPUIDLeaf(function: 0x8000_0001, index: 0, eax: 0, ebx: 0, ecx: 0, edx: 1 << 29 | 1 << 20),
      CPUIDLeaf(function: 0x8000_0008, index: 0, eax: 39, ebx: 0, ecx: 0, edx: 0),
    ]
    if pinFeature {
      leaves.append(
        CPUIDLeaf(function: 0x4000_0000, index: 0, eax: 0x4000_0001, ebx: 0x4b4d_564b, ecx: 0, edx: 0))
      leaves.append(CPUIDLeaf(function: 0x4000_0001, index: 0, eax: 1 << 15, ebx: 0, ecx: 0, edx: 0))
    }
    return HostIdentity(
      module: "kvm_intel", apiVersion: 12, capabilities: [("KVM_CAP_X86_SMM", 1)], cpuid: leaves)
  }

  @Test func theModelsCPUIsTheGuestsCPUID() {
    let cpu = host(pinFeature: false).cpuModel
    #expect(cpu.features == [.smep, .umip])
    #expect(cpu.physicalAddressBits == 39)
  }

  @Test(arguments: [false, true])
  func theModelIsThePatchsOnlyWhenTheHostAdvertisesIt(_ advertised: Bool) {
    let identity = host(pinFeature: advertised)
    #expect(identity.advertisesCRPinning == advertised)
    #expect(identity.comparisonOptions.kvmPin == advertised)
    #expect(identity.comparisonModelDescription.contains(advertised ? "kvm-pin on" : "kvm-pin off"))
    #expect(identity.hasSMM)
  }

  @Test func generatedScriptsRepeatAndParse() throws {
    var first = ScriptGenerator(seed: 42)
    var second = ScriptGenerator(seed: 42)
    let lines = first.script(length: 500)
    #expect(lines == second.script(length: 500))
    let parsed = try parseScript(lines.joined(separator: "\n")).get()
    #expect(parsed.count == 500)
  }
}
