import Script
import Testing

/// Exit status 2 means nothing ran (issue 19, item 7): what only running can find — reading
/// `smram.X` outside SMM — is a failed `expect` (status 1, the run goes on), or in an action
/// stops the run there with status 1 after the trace so far.
@Suite("run-time conditions: a failed expect or a stopped run, never status 2")
struct RunTimeErrorTests {
  @Test("expect smram.cr4 outside SMM (either side) fails with the reason; the run goes on; exit 1")
  func expectOutsideSMM() throws {
    let script =
      "kernel write cr4, cr4\nexpect smram.cr4 == 0x0\nexpect cr4 != smram.cr4\nkernel write cr4, cr4 | SMEP\n"
    let result = try HostileRun.run(script)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stdout.contains("   4  kernel write cr4, cr4 | SMEP"))
    #expect(result.stdout.contains("2 of 2 expectations FAILED"))
    #expect(
      result.stderr.contains(
        ":2: expectation failed: expect smram.cr4 == 0x0: expected SMRAM.CR4 == …, got no value: "
          + "smram.cr4 is readable only in SMM: run `smi` first"))
    #expect(result.stderr.contains("readable only in SMM: run `smi` first"))
    #expect(!result.stderr.contains("error:"))
  }

  @Test("in SMM the same expect is checked as usual")
  func expectInSMM() throws {
    let result = try HostileRun.run("kernel write cr4, cr4\nsmi\nexpect smram.cr4 == 0x360ef0\n")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("holds"))
  }

  @Test("an action reading smram.cr4 outside SMM stops the run there: the trace so far, the error, exit 1")
  func actionOutsideSMM() throws {
    let result = try HostileRun.run(
      "kernel write cr4, cr4\nkernel write cr4, smram.cr4\nkernel write cr4, cr4\n")
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stdout.contains("   1  kernel write cr4, cr4"))
    #expect(!result.stdout.contains("   3  "))
    #expect(result.stderr.contains(":2:19: error: smram.cr4 is readable only in SMM: run `smi` first"))
    #expect(result.stderr.contains(": the run stopped at line 2: nothing after it ran"))
  }

  @Test("a parse error is still 2 with nothing on standard output")
  func parseErrorIsTwo() throws {
    let result = try HostileRun.run("kernel write cr4, cr4\nkernel wrote cr4, 0\n")
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
  }

  @Test("the report and compare agree: a run-time error is status 1")
  func reportAndCompare() throws {
    let script = "kernel write cr4, cr4\nkernel write cr4, smram.cr4\n"
    let report = runScript(script)
    #expect(report.error?.atRunTime == true)
    #expect(report.exitCode == 1)
    let compared = try HostileRun.run(script, #""$0" compare "$1""#)
    #expect(compared.status == 1, "\(compared.stderr)")
    #expect(compared.stderr.contains("readable only in SMM"))
  }
}
