import Engine
import Script
import Testing

@Suite("expect")
struct ExpectationTests {
  private func run(_ source: String) -> ScriptReport {
    runScript(source, format: .text) { _ in }
  }

  @Test("a failed expect is reported with its line, and the run goes on")
  func failureReported() {
    let report = run("clear cr4.SMEP\nexpect ok\nexpect cr4 == 0x260ef0\nmov cr4, cr4\nexpect gp\nexpect ok")
    #expect(report.exitCode == 1)
    #expect(report.failures.map(\.line) == [2, 3, 5])
    #expect(
      report.failures.map(\.result.message) == [
        "expected ok, got #GP", "expected CR4 == 0x260ef0, got 0x360ef0", "expected #GP, got ok",
      ])
    #expect(report.failures[0].description == "line 2: expect ok: expected ok, got #GP")
    #expect(report.expectationsChecked == 4)
  }

  @Test(
    "forms that hold on the booted VM after a read",
    arguments: [
      "expect ok", "expect value == 0x300800", "expect cr4.SMEP == 1", "expect SMEP != 0",
      "expect pins.cr4_high == SMEP | SMAP | UMIP", "expect pins.cr4_low == 0", "expect cr0 == 0x80050033",
      "expect efer == 0xd01", "expect smm == 0", "expect l2 == 0", "expect stopped == 0",
      "expect note \"d2\"", "expect cr4 != 0",
    ])
  func holds(_ line: String) {
    #expect(run("rdmsr CR4_PINNED_HIGH\n" + line).failures == [])
  }

  @Test("expect before any action fails rather than crashing")
  func nothingRan() {
    let report = run("expect ok\nexpect value == 0")
    #expect(
      report.failures.map(\.result.actual) == [
        "no statement ran before this expect", "no statement ran before this expect",
      ])
  }

  @Test("expect value after a write: no value read")
  func noValue() {
    let report = run("wrmsr CR4_PINNED_HIGH, 0x300800\nexpect value == 0")
    #expect(report.failures.first?.result.actual == "the previous statement read no value")
  }

  @Test("expect rule lists the rules that did fire")
  func ruleFailure() {
    let report = run("clear cr4.SMEP\nexpect rule pin.cr0.high")
    #expect(report.failures.first?.result.message == "expected rule pin.cr0.high, got rules pin.cr4.high")
  }

  @Test("after a VM exit guest statements are stopped; reset runs again")
  func stoppedVM() {
    let report = run(
      "smi\nsmram cr4, 0\nrsm\nexpect exit\nclear cr4.SMEP\nexpect stopped\nhost rdmsr EFER\nexpect ok\nreset\nexpect ok\nexpect stopped == 0"
    )
    #expect(report.failures == [])
  }
}
