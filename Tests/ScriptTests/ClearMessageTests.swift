import Testing

/// Messages that used to mislead (issue 19, item 8): each now names the real problem.
@Suite("clear messages for hostile command lines")
struct ClearMessageTests {
  @Test("`vtl1 intercept cr3` says what VTL1 intercepts, not what `kernel write` exists for")
  func vtl1InterceptCR3() throws {
    let result = try HostileRun.run("vtl1 intercept cr3, 0\n")
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "script.crpin:1:16: error: crpin models VTL1 intercepting VTL0's writes to cr0 and cr4 only"),
      "\(result.stderr)")
    #expect(!result.stderr.contains("native_write_crX"))
  }

  @Test("`kernel write cr3` keeps its own reason")
  func kernelWriteCR3() throws {
    let result = try HostileRun.run("kernel write cr3, 0\n")
    #expect(result.status == 2)
    #expect(result.stderr.contains("the kernel's native_write_crX() exists for cr0 and cr4 only, not cr3"))
  }

  @Test("`tui --vcpus -1`: out of range, not a missing value", arguments: ["-1", "0", "9"])
  func vcpusOutOfRange(value: String) throws {
    let directory = try TemporaryDirectory()
    let result = try HostileRun.shell(#""$0" tui --vcpus "$1""#, arguments: [value], in: directory)
    #expect(result.status == 2)
    #expect(result.stderr.contains("--vcpus must be 1 to 8 (got \(value))"), "\(result.stderr)")
    #expect(!result.stderr.contains("Missing value"))
  }

  @Test("`crpin run -` with standard input closed: exit 2 and why, not an empty script")
  func closedStandardInput() throws {
    let directory = try TemporaryDirectory()
    let result = try HostileRun.shell(#""$0" run - <&-"#, arguments: [], in: directory)
    #expect(result.status == 2)
    #expect(result.stderr == "<stdin>: error: standard input is closed: there is nothing to read\n")
    #expect(result.stdout.isEmpty)
  }
}
