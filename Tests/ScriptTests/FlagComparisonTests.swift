import Script
import Testing

/// A 0/1 flag (`cr4.SMEP`, `smm`, `l2`, `stopped`) compared with a number other than 0 or 1 is a
/// parse error at the number (issue 19, item 7): `expect cr4.SMEP == 2` used to hold, because
/// the right side was read as true/false.
@Suite("expect FLAG == N: only 0 or 1")
struct FlagComparisonTests {
  @Test(
    "a constant other than 0 or 1 is refused, with the column of the number",
    arguments: [
      ("expect cr4.SMEP == 2", 20, "CR4.SMEP is 0 or 1: comparing it with 0x2 would never hold"),
      ("expect cr4.SMEP != 2", 20, "CR4.SMEP is 0 or 1: comparing it with 0x2 would never hold"),
      ("expect smm == 0x10", 15, "SMM is 0 or 1: comparing it with 0x10 would never hold"),
      ("expect l2 == 1 << 1", 14, "L2 is 0 or 1: comparing it with 0x2 would never hold"),
      ("expect WP == ~0", 14, "CR0.WP is 0 or 1: comparing it with 0xffffffffffffffff would never hold"),
    ])
  func refused(source: String, column: Int, message: String) {
    guard case .failure(let error) = parseScript(source) else {
      Issue.record("`\(source)` parsed")
      return
    }
    #expect(error.line == 1)
    #expect(error.column == column, "\(source)")
    #expect(error.message.lowercased() == message.lowercased(), "\(error.message)")
  }

  @Test(
    "0, 1, and a comparison with a register or bit are still accepted",
    arguments: ["expect cr4.SMEP == 1", "expect smm != 0", "expect l2 == 1 & 1", "expect stopped == 0"])
  func accepted(source: String) throws {
    _ = try parseScript(source).get()
  }

  @Test("`crpin run`: exit 2 and nothing runs")
  func commandLine() throws {
    let result = try HostileRun.run("mov cr4, 0x3606f0\nexpect cr4.SMEP == 2\n")
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("script.crpin:2:20: error: "), "\(result.stderr)")
  }
}
