import Foundation
import Testing

/// `crpin run --kvm` and `crpin verify` through the built binary (`swift build` first).
@Suite(.serialized) struct KVMCommandTests {
  @Test func runKVMMarksADifferenceAndExitsFour() throws {
    guard try KVMAvailability.vcpu() != nil else { return }
    let result = try Crpin.run(
      ["run", "{}", "--kvm"], script: "wrmsr CR4_PINNED_HIGH, 0x100000\nmov cr0, cr0 & ~PG\n")
    // Clearing CR0.PG from 64-bit code: ok in 5.8, #GP in later KVM (this host's).
    let pvm = FileManager.default.fileExists(atPath: "/sys/module/kvm_pvm")
    #expect(result.status == 4 || (!pvm && result.status == 0))
    #expect(result.output.hasPrefix("real KVM: "))
    #expect(result.output.contains("compared with crpin's model"))
    #expect(result.output.contains("real KVM: #GP"))
    #expect(result.output.contains("✓ agrees"))
    #expect(result.output.contains("2 statements: "))
    if result.status == 4 {
      #expect(result.output.contains("✗ DIFFERS: model ok, real KVM #GP"))
      #expect(result.output.contains("[known host property later-kvm.pg-clear-in-64-bit-mode]"))
    }
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
      lines.last
        == "{\"summary\":{\"statements\":2,\"agree\":1,\"differ\":0,\"host_property\":0,\"follow_on\":0,\"unexplained\":0,\"not_run\":1}}"
    )
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

  /// As root, crpin runs as `nobody` (util-linux `setpriv`), who may not open a /dev/kvm that
  /// is not world-writable.
  @Test func noPermissionIsOneLineAndExitTwo() throws {
    guard try KVMAvailability.vcpu() != nil, geteuid() == 0 else { return }
    let mode = try FileManager.default.attributesOfItem(atPath: "/dev/kvm")[.posixPermissions] as? Int ?? 0
    let nobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    let result = try Crpin.run(["run", "{}", "--kvm"], script: "reset\n", launcher: nobody)
    if mode & 0o006 == 0o006 {
      #expect(result.status == 0)
    } else {
      #expect(result.status == 2)
      #expect(
        result.errors
          == "crpin: error: cannot use /dev/kvm (/dev/kvm: Permission denied): run as root or join the group that owns /dev/kvm\n"
      )
    }
  }

  @Test func aDeviceThatIsNotKVMIsOneLineAndExitTwo() throws {
    let result = try Crpin.run(
      ["run", "{}", "--kvm"], script: "reset\n", environment: ["CRPIN_KVM_DEVICE": "/dev/null"])
    #expect(result.status == 2)
    #expect(result.errors.split(separator: "\n").count == 1)
    #expect(result.errors.hasPrefix("crpin: error: cannot run a VM on KVM: /dev/null is not a KVM device"))
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
