import Engine
import Script
import Testing

@Suite("expressions")
struct ExpressionTests {
  /// Runs `mov cr3, EXPR` on the default booted VM and returns the value written.
  private func value(_ expression: String) throws -> UInt64? {
    var session = Session()
    guard case .mov(_, let value)? = try session.run(line: "mov cr3, \(expression)", lineNumber: 1)?.action
    else { return nil }
    return value
  }

  @Test(
    "values evaluate as C would",
    arguments: [
      ("0x1f", 0x1f), ("31", 31), ("0b101", 5), ("0o17", 15), ("0x36_0ef0", 0x36_0ef0),
      ("SMEP", 0x10_0000), ("cr4.SMEP", 0x10_0000), ("CR0.wp", 0x1_0000), ("smep | smap", 0x30_0000),
      ("cr4", 0x36_0ef0), ("cr4 & ~SMEP", 0x26_0ef0), ("cr4 ^ UMIP", 0x36_06f0),
      ("1 | 2 & 3", 3), ("(1 | 2) & 1", 1), ("1 << 20", 0x10_0000), ("~0", UInt64.max),
      ("~~5", 5), ("pins.cr4_high", 0x30_0800), ("efer", 0xd01), ("0xffffffffffffffff", .max),
      ("1 << 64", 0), ("0x100 >> 8", 1),
    ] as [(String, UInt64)])
  func evaluates(_ expression: String, _ expected: UInt64) throws {
    #expect(try value(expression) == expected)
  }

  @Test("registers are read when the statement runs, not when it is parsed")
  func evaluatedAtExecution() throws {
    var session = Session()
    let statements = try parseScript(
      "mov cr4, cr4 & ~UMIP\nhost wrmsr CR4_PINNED_HIGH, 0\nmov cr4, cr4 & ~SMEP"
    ).get()
    for statement in statements { _ = try session.run(statement) }
    #expect(session.vm.vcpus[0].registers.cr4 == 0x36_0ef0 & ~(CR4.smep))
  }

  @Test("smram.X outside SMM is an error at the operand, one only running can find")
  func smramOutsideSMM() {
    var session = Session()
    #expect(
      throws: ScriptError(
        line: 3, column: 10, message: "smram.cr4 is readable only in SMM: run `smi` first", atRunTime: true)
    ) {
      try session.run(line: "mov cr4, smram.cr4", lineNumber: 3)
    }
  }

  @Test("set and clear are MOVs of the current value with one bit changed")
  func setAndClear() throws {
    var session = Session()
    #expect(try session.run(line: "clear cr4.UMIP", lineNumber: 1)?.action == .mov(.cr4, 0x36_06f0))
    #expect(try session.run(line: "SET wp", lineNumber: 2)?.action == .mov(.cr0, 0x8005_0033))
  }
}
