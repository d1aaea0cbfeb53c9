import Foundation
import Testing

/// `crpin run --kvm` and `crpin verify` through the built binary (`swift build` first).
@Suite(.serialized) struct KVMCommandTests {
  @Test func runKVMMarksADifferenceAndExitsFour() throws {
    guard try KVMAvailability.vcpu() != nil else { return }
    let result = try Crpin.run(
      ["run", "{}", "--kvm"], script: "wrmsr CR4_PINNED_HIGH, 0x100000\nmov cr0, cr0 & ~PG\n")
    let expected: Int32 = FileManager.default.fileExists(atPath: "/sys/module/kvm_pvm") ? 4 : 0
    #expect(result.status == expected)
    #expect(result.output.hasPrefix("real KVM: "))
    #expect(result.output.contains("compared with crpin's model"))
    #expect(result.output.contains("real KVM: #GP"))
    #expect(result.output.contains("✓ agrees"))
    #expect(result.output.contains("2 statements: "))
    if expected == 4 { #expect(result.output.contains("✗ DIFFERS: model ok, real KVM #GP")) }
  }

  @Test func runKVMJSONLinesGainTheRealOutcome() throws {
    guard try KVMAvailability.vcpu() != nil else { return }
    let result = try Crpin.run(
      ["run", "{}", "--kvm", "--format", "jsonl"], script: "host wrmsr CR4_PINNED_HIGH, 0\nsmi\n")
    let lines = result.output.split(separator: "\n").map(String.init)
    #expect(result.status == 0)
    #expect(lines.count == 4)
    #expect(lines.first?.hasPrefix("{\"kvm\":{\"module\":") == true)
    #expect(lines.dropFirst().first?.contains("\"real\":{\"outcome\":\"rejected\"") == true)
    #expect(lines.dropFirst().first?.contains("\"agreement\":\"agree\"") == true)
    #expect(lines.dropFirst(2).first?.contains("\"agreement\":\"not-run\"") == true)
    #expect(
      lines.last == "{\"summary\":{\"statements\":2,\"agree\":1,\"differ\":0,\"explained\":0,\"not_run\":1}}")
  }

  @Test func noKVMIsOneLineAndExitTwoAndPlainRunIsUnaffected() throws {
    let missing = ["CRPIN_KVM_DEVICE": "/nonexistent/kvm"]
    let result = try Crpin.run(["run", "{}", "--kvm"], script: "reset\n", environment: missing)
    #expect(result.status == 2)
    #expect(result.output.isEmpty)
    #expect(result.errors.split(separator: "\n").count == 1)
    #expect(
      result.errors.hasPrefix(
        "crpin: error: no KVM on this machine (/nonexistent/kvm: No such file or directory)"))
    let verify = try Crpin.run(["verify", "--scripts", "1"], environment: missing)
    #expect(verify.status == 2)
    let plain = try Crpin.run(["run", "{}"], script: "reset\n", environment: missing)
    #expect(plain.status == 0)
  }

  @Test func aDeviceThatIsNotKVMIsRefusedInOneLine() throws {
    let result = try Crpin.run(
      ["run", "{}", "--kvm"], script: "reset\n", environment: ["CRPIN_KVM_DEVICE": "/dev/null"])
    #expect(result.status == 2)
    #expect(result.errors.split(separator: "\n").count == 1)
    #expect(result.errors.hasPrefix("crpin: error: this KVM is too old"))
  }

  @Test func verifyReportsTheHostFirstAndExplainsEveryDifference() throws {
    guard try KVMAvailability.vcpu() != nil else { return }
    let result = try Crpin.run(["verify", "--scripts", "40", "--seed", "7"])
    #expect(result.status == 0)
    #expect(result.output.hasPrefix("real KVM: "))
    #expect(result.output.contains("40 scripts of 20 statements (seed 7)"))
    #expect(result.output.contains("0 unexplained"))
    #expect(!result.output.contains("UNEXPLAINED"))
  }
}
