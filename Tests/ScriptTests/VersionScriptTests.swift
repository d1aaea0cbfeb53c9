import Foundation
import Script
import Testing

/// `option kernel`, `option kvm` and `host cpuid`: parsed, printed, and `crpin run` scripts over
/// each version with the outcome each version gives (docs/versions.md).
@Suite("versions: scripts over each kernel and KVM version")
struct VersionScriptTests {
  /// Runs `source` as `crpin run` does; every expectation must hold.
  static func holds(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let report = runScript(source, format: .text) { _ in }
    #expect(report.error == nil, sourceLocation: sourceLocation)
    #expect(report.failures == [], sourceLocation: sourceLocation)
    #expect(report.exitCode == 0, sourceLocation: sourceLocation)
  }

  @Test(
    "each kernel: what boot sets, what a kernel write setting FSGSBASE and one clearing SMEP end with",
    arguments: [
      ("5.3", 0, 1, "CR4 bits went missing: 100000!?"), ("5.7", 0, 1, "CR4 bits went missing: 100000!?"),
      ("5.8", 0, 0, "pinned CR4 bits changed: 0x100000!?"),
      ("5.9", 1, 1, "pinned CR4 bits changed: 0x100000!?"),
      ("5.18", 1, 1, "pinned CR4 bits changed: 0x100000!?"),
      ("6.9", 1, 1, "pinned CR4 bits changed: 0x100000!?"),
      ("6.19", 1, 1, "pinned CR4 bits changed: 0x100000!?"),
      ("7.4", 1, 1, "pinned CR4 bits changed: 0x100000!?"),
    ])
  func kernel(version: String, bootFSGSBASE: Int, afterSet: Int, warning: String) {
    Self.holds(
      """
      option mechanism native
      option kernel \(version)
      expect ok
      expect cr4.FSGSBASE == \(bootFSGSBASE)
      kernel write cr4, cr4 | FSGSBASE
      expect ok
      expect cr4.FSGSBASE == \(afterSet)
      kernel write cr4, cr4 & ~SMEP
      expect cr4.SMEP == 1
      expect note "\(warning)"
      """)
  }

  @Test(
    "each KVM: a guest clearing a pinned WP (owned from 6.4), LAM_SUP (6.8), CET (6.18), a failed RSM (5.14)",
    arguments: [
      ("5.8", "gp", "cr4.reserved", "gp", "exit"), ("5.10", "gp", "cr4.reserved", "gp", "exit"),
      ("5.14", "gp", "cr4.reserved", "gp", "stopped"), ("6.4", "ok", "cr4.reserved", "gp", "stopped"),
      ("6.8", "ok", "cr4.feature-missing", "gp", "stopped"),
      ("6.18", "ok", "cr4.feature-missing", "ok", "stopped"),
      ("7.0", "ok", "cr4.feature-missing", "ok", "stopped"),
    ])
  func kvm(version: String, clearWP: String, lamRule: String, cet: String, rsm: String) {
    Self.holds(
      """
      option kvm \(version)
      clear cr0.WP
      expect \(clearWP)
      set cr0.WP
      mov cr4, cr4 | (1 << 28)
      expect gp
      expect rule \(lamRule)
      host cpuid +cet
      set cr4.CET
      expect \(cet)
      clear cr4.CET
      smi
      smram cr4, smram.cr4 & ~SMEP
      rsm
      expect \(rsm)
      expect stopped == 1
      """)
  }

  @Test("past 6.19 every outcome says the facts end there")
  func undecided() {
    Self.holds(
      """
      option kvm 7.1
      expect note "crpin's facts end at 6.19: what changed since is undecided."
      mov cr4, cr4
      expect note "undecided"
      """)
  }

  @Test(
    "errors name the line and column, and say what crpin accepts",
    arguments: [
      ("option kernel 5.2", 15, "crpin has no facts on Linux before 5.3"),
      ("option kernel 4.19", 15, "`option native-pin off`"),
      ("option kvm 5.7", 12, "crpin's KVM facts start at 5.8, the pinning patch's base: use 5.8 or later"),
      (
        "option kernel 5.8.1", 15,
        "expected a Linux version MAJOR.MINOR such as 5.8 after `option kernel`, found '5.8.1'"
      ),
      ("option kvm 6", 12, "expected a Linux version MAJOR.MINOR such as 5.8 after `option kvm`, found '6'"),
      ("option kernel", 14, "a version such as 5.8 after `option kernel`"),
      ("host cpuid cet", 12, "expected +FEATURE or -FEATURE after `host cpuid`"),
      ("host cpuid +cte", 13, "unknown CPU feature 'cte'; did you mean 'cet'?"),
      ("mov cr4, 5.8", 10, "unknown name '5.8'"),
    ])
  func errors(line: String, column: Int, message: String) throws {
    guard case .failure(let error) = parseScript(line) else {
      Issue.record("`\(line)` parsed")
      return
    }
    #expect(error.line == 1)
    #expect(error.column == column)
    #expect(error.message.contains(message))
  }

  @Test("the statements print back as written and parse to the same action")
  func roundTrip() throws {
    for text in ["option kernel 5.9", "option kvm 6.18", "host cpuid +cet", "host cpuid -fsgsbase"] {
      let statements = try parseScript(text).get()
      #expect(statements.count == 1)
      #expect(statements.first?.text == text)
    }
  }

  @Test("crpin run: an error in PATH:LINE:COL: error: form, exit 2")
  func binaryError() throws {
    let result = try BuiltBinary.run(["run", "-"], stdin: "boot\noption kvm 5.4\n")
    #expect(result.status == 2)
    #expect(result.err.contains("<stdin>:2:12: error: crpin's KVM facts start at 5.8"))
  }

  @Test("crpin run: a version script's trace lists the version changes")
  func binaryTrace() throws {
    let result = try BuiltBinary.run(
      ["run", "-"], stdin: "option kernel 5.9\noption kvm 6.4\nhost cpuid +lam\n")
    #expect(result.status == 0)
    #expect(result.out.contains("kernel 5.8 → 5.9"))
    #expect(result.out.contains("kvm 5.8 → 6.4"))
    #expect(result.out.contains("PKU → UMIP LA57 VMX FSGSBASE PCID XSAVE SMEP SMAP PKU LAM"))
  }
}
