import Engine
import Testing

@testable import Script

/// Import → run → the trace's own outcomes: every `expect[none]` the importer wrote holds when
/// the script runs under `none` (the recording host: no CR pinning), through `crpin run`'s
/// runner and through `crpin compare`; and `crpin check trace`'s answers.
@Suite("Trace round trip and check")
struct TraceRoundTripTests {
  static let traces: [(String, String)] = [
    ("mathias", TraceFixtures.mathias), ("vitaly", TraceFixtures.vitaly), ("perf", TraceFixtures.perf),
    ("trace-cmd plugin", TraceFixtures.traceCmdPlugin), ("perf with columns", TraceFixtures.perfWithColumns),
    ("boot", TraceFixtures.boot),
  ]

  private func imported(_ text: String, mechanism: Mechanism? = nil) throws -> (KVMTrace, ImportedScript) {
    let trace = try TraceReader.read(Array(text.utf8)).get()
    return (
      trace, TraceImporter.script(for: trace, options: TraceImportOptions(source: "t", mechanism: mechanism))
    )
  }

  @Test(
    "imported with --mechanism none, `crpin run` reproduces every outcome the trace shows", arguments: traces)
  func runUnderNone(_ name: String, _ text: String) throws {
    let (_, script) = try imported(text, mechanism: MechanismKind.none)
    let report = runScript(script.text, format: .text) { _ in }
    #expect(report.error == nil, "\(name): \(String(describing: report.error))")
    #expect(report.failures.isEmpty, "\(name): \(report.failures.map(\.description))")
    let expects = script.text.split(separator: "\n").filter { $0.hasPrefix("expect[none]") }.count
    #expect(report.expectationsChecked == expects)
  }

  @Test(
    "imported as is, `crpin compare` runs every column and the none column holds every expect",
    arguments: traces)
  func compare(_ name: String, _ text: String) throws {
    let (_, script) = try imported(text)
    let comparison = try Comparison.run(script.text).get()
    #expect(comparison.errors.isEmpty, "\(name)")
    #expect(comparison.failures.isEmpty, "\(name): \(comparison.failures.map(\.failure.description))")
  }

  /// vCPU 1 writes only CR4, and vCPU 0's only CR4 write faults: their other registers are
  /// unknown (built from Mathias's formats).
  static let partial = [
    " qemu-1 [000] d.... 5.000001: kvm_exit: vcpu 0 reason CR_ACCESS rip 0x10 info1 0x4 info2 0x0 intr_info 0x0 error_code 0x0",
    " qemu-1 [000] ..... 5.000002: kvm_cr: cr_write 4 = 0x1360ef0",
    " qemu-1 [000] ..... 5.000003: kvm_inj_exception: #GP (0x0)",
    " qemu-1 [000] d.... 5.000004: kvm_entry: vcpu 0, rip 0x10",
    " qemu-2 [001] d.... 5.000005: kvm_exit: vcpu 1 reason CR_ACCESS rip 0x20 info1 0x4 info2 0x0 intr_info 0x0 error_code 0x0",
    " qemu-2 [001] ..... 5.000006: kvm_cr: cr_write 4 = 0x3208b0",
    " qemu-2 [001] d.... 5.000007: kvm_entry: vcpu 1, rip 0x23",
  ].joined(separator: "\n")

  @Test(
    "registers the trace never shows get the booted values; every `host sregs` written is accepted by every design"
  )
  func startingStateAccepted() throws {
    let (_, script) = try imported(Self.partial)
    #expect(script.text.contains("vcpu 0\nhost sregs cr0=0x80050033 cr4=0x360ef0 efer=0xd01  #"))
    #expect(script.text.contains("vcpu 1\nhost sregs cr0=0x80050033 cr4=0x3208b0 efer=0xd01  #"))
    for (name, text) in Self.traces + [("partial", Self.partial)] {
      let comparison = try Comparison.run(try imported(text).1.text).get()
      for row in comparison.rows where row.text.hasPrefix("host sregs") {
        #expect(row.cells.allSatisfy { $0 == "ok" }, "\(name) line \(row.line): \(row.cells)")
      }
    }
  }

  @Test("the round trip checks something: the boot trace's #GP and ok, Mathias's EFER read")
  func roundTripChecks() throws {
    let (_, boot) = try imported(TraceFixtures.boot, mechanism: MechanismKind.none)
    #expect(runScript(boot.text, format: .text) { _ in }.expectationsChecked == 6)
    let (_, mathias) = try imported(TraceFixtures.mathias, mechanism: MechanismKind.none)
    #expect(runScript(mathias.text, format: .text) { _ in }.expectationsChecked == 5)
    // A trace whose recorded outcome the model does not reproduce fails the run.
    let wrong = boot.text.replacingFirst("expect[none] gp", with: "expect[none] ok")
    #expect(runScript(wrong, format: .text) { _ in }.failures.count == 1)
  }

  @Test("check: Mathias's CPU bring-up breaks under heki (#GP on CR4 0xb0) and vtl1 (dropped), not kvm-2020")
  func checkBringUp() throws {
    let (trace, script) = try imported(TraceFixtures.mathias)
    let check = TraceCheck.run(trace, script, mechanisms: Mechanism.allCases)
    #expect(check.errors.isEmpty)
    #expect(check.disagreements.isEmpty)
    #expect(check.actionsByPhase == [.bringUp: 5])
    #expect(check.firstBreak(.kvm2020) == nil)
    #expect(check.firstBreak(.kvmRFC2) == nil)
    #expect(check.firstBreak(.native) == nil)
    let heki = try #require(check.firstBreak(.heki))
    #expect(heki.traceLine == 5 && heki.statement == "mov cr4, 0xb0" && heki.phase == .bringUp)
    #expect(heki.cells[Mechanism.allCases.firstIndex(of: .heki) ?? 0] == "#GP")
    #expect(check.firstBreak(.vtl1)?.traceLine == 14)
    #expect(check.exitCode == 1)
    let text = check.rendered(trace: trace, notes: script.notes, source: "trace.txt")
    #expect(
      text.contains(
        "  heki          line 5 (CPU bring-up, vCPU 1, 1404.389488): refuses `mov cr4, 0xb0`: #GP, the trace: ok"
      )
    )
    #expect(text.contains("  kvm-2020      none: every action stands as in the trace"))
    #expect(text.contains("boot: no actions in the trace"))
  }

  @Test("check: after the boot, kexec's WP-less CR0 breaks every hypervisor pin; the reserved bit stays #GP")
  func checkBoot() throws {
    let (trace, script) = try imported(TraceFixtures.boot)
    let check = TraceCheck.run(trace, script, mechanisms: [.kvm2020, .native])
    #expect(check.actionsByPhase == [.boot: 4, .later: 2])
    let kvm = try #require(check.firstBreak(.kvm2020))
    #expect(
      kvm.traceLine == 20 && kvm.phase == .later && kvm.cells == ["#GP", "ok"] && kvm.reference == "ok")
    #expect(check.firstBreak(.native) == nil)
    #expect(check.findings.count == 1)
    #expect(check.exitCode == 1)
    let only = TraceCheck.run(trace, script, mechanisms: [.native, .none])
    #expect(only.exitCode == 0 && only.findings.isEmpty)
  }
}

/// `.none` reads as `Optional.none` next to an optional parameter.
private enum MechanismKind {
  static let none = Mechanism.none
}

extension String {
  fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
    guard let range = range(of: target) else { return self }
    return replacingCharacters(in: range, with: replacement)
  }
}
