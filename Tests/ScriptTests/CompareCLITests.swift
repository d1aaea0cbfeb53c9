import Foundation
import Testing

/// `crpin compare`, `crpin threats` and `crpin explain discrepancies` through the built binary.
@Suite("crpin compare, threats, explain discrepancies")
struct CompareCLITests {
  private func crpin(_ arguments: [String], stdin: String = "") throws -> (
    status: Int32, out: String, err: String
  ) {
    try BuiltBinary.run(arguments, stdin: stdin)
  }

  @Test("compare: a scenario, markdown, exit 0")
  func scenario() throws {
    let result = try crpin(["compare", "compare-rop", "--format", "markdown"])
    #expect(result.status == 0)
    #expect(result.out.contains("| 61 | `rsm` | VM stops | ok, rewritten | ok | ok | ok | ok |"))
  }

  @Test("compare: a failed expect[M] exits 1 and names the mechanism; a typo suggests a scenario")
  func failures() throws {
    let failed = try crpin(["compare", "-"], stdin: "clear cr4.SMEP\nexpect[vtl1] gp\n")
    #expect(failed.status == 1)
    #expect(
      failed.err.contains(
        "<stdin>:2: expectation failed under vtl1: expect[vtl1] gp: expected #GP, got dropped"))
    let jsonl = try crpin(["compare", "-", "--format", "jsonl"], stdin: "stac\n")
    #expect(jsonl.out.hasPrefix(#"{"mechanism":"kvm-2020","line":1,"op":"stac""#))
    let unknown = try crpin(["compare", "compare-rob"])
    #expect(unknown.status == 2)
    #expect(unknown.err.contains("did you mean 'compare-rop'?"))
    let parse = try crpin(["compare", "-"], stdin: "expect[hekki] ok\n")
    #expect(parse.status == 2)
    #expect(parse.err.hasPrefix("<stdin>:1:8: error: unknown mechanism 'hekki'; did you mean 'heki'?"))
  }

  @Test("threats and explain discrepancies")
  func threatsAndDiscrepancies() throws {
    let threats = try crpin(["threats"])
    #expect(threats.status == 0)
    #expect(
      threats.out.contains("(c) code execution in SMM             VM stops: SMEP stays on, the VM is down"))
    let discrepancies = try crpin(["explain", "discrepancies"])
    #expect(discrepancies.status == 0)
    #expect(discrepancies.out.contains("  D6  ") && discrepancies.out.contains("  R1  "))
  }
}
