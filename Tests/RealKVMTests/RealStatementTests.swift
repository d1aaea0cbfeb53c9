import Engine
import Script
import Testing

@testable import RealKVM

/// Real statements on this machine's /dev/kvm, side by side with the model.
@Suite(.serialized) struct RealStatementTests {
  /// Runs `script` on a freshly booted model and real vCPU; the steps with an action.
  func run(_ script: String) throws -> [DualStep]? {
    guard let real = try KVMAvailability.vcpu() else { return nil }
    var dual = DualSession(real: real)
    #expect(dual.startDifference == nil)
    var steps: [DualStep] = []
    try dual.run(source: script) { step, _ in if step.real != nil { steps.append(step) } }
    return steps
  }

  @Test func aGuestMOVTakesGPAndKeepsTheRegister() throws {
    guard let steps = try run("mov cr4, cr4 | LA57"), let step = steps.last else { return }
    #expect(step.real?.kind == .fault(vector: 13))
    #expect(step.real?.registers?.cr4 == step.record.outcome?.before.vcpus[0].registers.cr4)
    #expect(step.agreement == .agree)
  }

  @Test(arguments: ["wrmsr EFER, efer | 0x2", "mov cr3, 0xb41c000 | (1 << 50)"])
  func aReservedBitTakesGP(_ statement: String) throws {
    guard let steps = try run(statement), let step = steps.last else { return }
    #expect(step.real?.kind == .fault(vector: 13))
    #expect(
      step.real?.registers
        == Registers(cr0: 0x8005_0033, cr3: 0xb41_c000, cr4: step.real?.registers?.cr4 ?? 0, efer: 0xd01))
    #expect(step.agreement == .agree)
  }

  @Test func realModeToLongModeAsRealInstructions() throws {
    let script = """
      reset
      mov cr0, 0x60000011
      mov cr4, PAE
      mov cr3, 0x2a0a000
      wrmsr EFER, 0x100
      mov cr0, 0x80000011
      """
    guard let steps = try run(script) else { return }
    #expect(steps.count == 6)
    #expect(steps.allSatisfy { $0.agreement == .agree && $0.real?.kind == .ok })
    #expect(
      steps.last?.real?.registers == Registers(cr0: 0x8000_0011, cr3: 0x2a0_a000, cr4: 0x20, efer: 0x500))
  }

  @Test(arguments: ["wrmsr CR4_PINNED_HIGH, 0x100000", "rdmsr CR0_PIN_ALLOWED"])
  func aPinMSRTakesGPOnReleasedKVM(_ statement: String) throws {
    guard let steps = try run(statement), let step = steps.last, let real = step.real else { return }
    #expect(real.kind == .fault(vector: 13))
    #expect(step.agreement == .agree)
  }

  @Test func kvmSetMSRsRefusesAPinMSR() throws {
    guard let steps = try run("host wrmsr CR4_PINNED_HIGH, 0"), let step = steps.last else { return }
    #expect(step.real?.kind == .refused("KVM_SET_MSRS set 0 of 1 MSRs"))
    #expect(step.record.outcome?.kind == .rejected)
    #expect(step.agreement == .agree)
  }

  @Test func smmIsNotRunWithoutTheCapability() throws {
    guard let steps = try run("smi"), let step = steps.last, let real = step.real else { return }
    if case .notRun(let reason) = real.kind {
      #expect(reason.contains("KVM_CAP_X86_SMM") || reason.contains("SMM"))
    } else {
      Issue.record("smi ran: \(real.kind)")
    }
  }

  /// The scripts `crpin verify` shrank its divergences to on this project's kvm_pvm machines:
  /// each is a known host property there (README "Running on a real KVM"). On another KVM the
  /// `pvm.` ones agree with the model, and the `later-kvm.` ones differ only as named (a KVM
  /// older than those checks agrees).
  @Test(arguments: [
    ("mov cr4, cr4 | 0x4000000000000000", "pvm.cr-high-bits-dropped"),
    ("mov cr0, cr0 | 0x8000000000000", "pvm.cr-high-bits-dropped"),
    ("mov cr4, cr4 | 0x10000", "pvm.cr4-ignores-cpuid"),
    ("host sregs cr4=cr4 | 0x40000", "pvm.cr4-ignores-cpuid"),
    ("host sregs cr4=cr4 | 0x20000", "pvm.cr4-always-refused"),
    ("reset\nmov cr0, 0x60000011\nmov cr3, 0x1000\nmov cr0, 0x80000011", "pvm.legacy-paging-refused"),
    ("mov cr0, cr0 & ~0x80000000", "later-kvm.pg-clear-in-64-bit-mode"),
    ("host sregs cr0=cr0 | 0x20000000", "later-kvm.set-sregs-checks-cr0"),
    ("host sregs cr3=0xb41c000 | (1 << 50)", "later-kvm.set-sregs-checks-cr3"),
  ])
  func shrunkDivergenceIsAKnownHostProperty(_ script: String, _ property: String) throws {
    guard let steps = try run(script), let step = steps.last else { return }
    let pvm = HostIdentity.loadedModule() == "kvm_pvm"
    if pvm || (property.hasPrefix("later-kvm.") && step.agreement != .agree) {
      guard case .differ(_, let explanation)? = step.agreement else {
        Issue.record(
          "expected a difference explained by \(property), got \(String(describing: step.agreement))")
        return
      }
      #expect(explanation == .hostProperty(property))
    } else {
      #expect(step.agreement == .agree)
    }
    #expect(steps.dropLast().allSatisfy { $0.agreement == .agree })
  }
}

/// `crpin verify`'s shrinking on this machine's /dev/kvm.
@Suite(.serialized) struct ShrinkTests {
  @Test func aDivergenceShrinksToTheOneStatementThatMakesIt() throws {
    guard let real = try KVMAvailability.vcpu() else { return }
    let verification = Verification(real: real)
    let lines = ["reset", "boot", "rdmsr EFER", "mov cr0, cr0 & ~0x80000000", "mov cr0, cr0 | 0x2"]
    var dual = DualSession(real: real)
    var last: DualStep?
    try dual.run(source: lines.joined(separator: "\n")) { step, _ in
      last = last ?? (step.agreement?.differs == true ? step : nil)
    }
    let step = try #require(last)
    guard case .differ(_, let explanation)? = step.agreement else { return }
    let shrunk = verification.shrink(lines, signature: Verification.signature(step, explanation))
    #expect(shrunk?.script == ["mov cr0, cr0 & ~0x80000000"])
    #expect(shrunk?.property == "later-kvm.pg-clear-in-64-bit-mode")
  }
}
