import Engine
import Script
import Testing

@Suite("session")
struct SessionTests {
  @Test("blank and comment lines give nil, narration too")
  func nilLines() throws {
    var session = Session()
    #expect(try session.run(line: "", lineNumber: 1) == nil)
    #expect(try session.run(line: "   # just a comment", lineNumber: 2) == nil)
    #expect(try session.run(line: "#> narration", lineNumber: 3) == nil)
  }

  @Test("preview changes nothing")
  func preview() throws {
    let session = Session()
    let record = try #require(try session.preview(line: "host wrmsr CR4_PINNED_HIGH, 0", lineNumber: 1))
    #expect(record.outcome?.kind == .ok)
    #expect(record.outcome?.after.effectivePins(on: 0).cr4High == 0)
    #expect(session.vm.effectivePins(on: 0).cr4High == 0x30_0800)
    #expect(session.vm == Session().vm)
  }

  @Test("record fields: text trimmed without comment, vcpu, action, outcome")
  func recordFields() throws {
    var session = Session()
    let record = try #require(try session.run(line: "  mov cr4, cr4 & ~SMEP   # the attack", lineNumber: 7))
    #expect(record.line == 7)
    #expect(record.text == "mov cr4, cr4 & ~SMEP")
    #expect(record.vcpu == 0)
    #expect(record.action == .mov(.cr4, 0x26_0ef0))
    #expect(record.outcome?.kind == .gp)
    #expect(record.expectation == nil)
    #expect(record.op == "mov")
  }

  @Test("vcpus sizes the VM only as the first statement; vcpu selects")
  func vcpus() throws {
    var session = Session()
    _ = try session.run(line: "vcpus 3", lineNumber: 1)
    #expect(session.vm.vcpus.count == 3)
    let record = try session.run(line: "vcpu 2", lineNumber: 2)
    #expect(record?.vcpu == 2 && session.selectedVCPU == 2)
    #expect(throws: ScriptError.self) { try session.run(line: "vcpus 2", lineNumber: 3) }
    #expect(
      throws: ScriptError(
        line: 4, column: 6,
        message: "there is no vCPU 3: this VM has 3 (0-2); size it with `vcpus N` as the first statement")
    ) {
      try session.run(line: "vcpu 3", lineNumber: 4)
    }
    let reset = try session.run(line: "reset", lineNumber: 5)
    #expect(reset?.vcpu == 2)
    #expect(session.vm.effectivePins(on: 2) == .none && session.vm.effectivePins(on: 0) != .none)
  }

  @Test("explain decodes bits and values")
  func explain() throws {
    let text = Explain.register(.cr4, value: try Explain.value("cr4 & ~SMEP | 0x8000").get())
    #expect(text.hasPrefix("CR4 = 0x268ef0"))
    #expect(text.contains("bit 15 "))
    #expect(text.contains("reserved: unknown to KVM 5.8"))
    #expect(text.contains("needs CPUID SMAP"))
    #expect(text.contains("clear: CR4.SMEP (bit 20, 0x100000)"))
    #expect(
      try Explain.msr("MSR_KVM_CR4_PINNED_HIGH").get().hasPrefix("MSR_KVM_CR4_PINNED_HIGH (0x4b564d0d)"))
    #expect(try Explain.msr("0x10").get().hasPrefix("MSR 0x10 is not modelled"))
    #expect(throws: ScriptError.self) { try Explain.msr("CR4_PINNED_HIHG").get() }
  }
}
