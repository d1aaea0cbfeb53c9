import Engine
import Foundation
import Script
import SeededRandom
import Testing

/// The streaming runner (`ScriptStream` through `ScriptDriver`, the everyday statements read
/// by the fast parser) prints exactly what the previous traced runner printed — text and JSON
/// lines, byte for byte — and reports the same errors, failures, counts and final session.
@Suite("streaming runner against the previous runner")
struct StreamingRunnerTests {
  /// Fails the test where the two runners' output or reports for `source` differ.
  static func expectSameRun(
    _ source: String, session: Session = Session(), sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let what = "script:\n\(source)"
    for format in TraceFormat.allCases {
      var before: [String] = []
      var after: [String] = []
      let old = previousRunScript(source, format: format, session: session) { before.append($0) }
      let new = runScript(source, format: format, session: session) { after.append($0) }
      #expect(after == before, "\(format) \(what)", sourceLocation: sourceLocation)
      expectSameReport(new, old, what, sourceLocation)
    }
    let quiet = runScript(source, session: session)
    let old = previousRunScript(source, format: .text, session: session) { _ in }
    expectSameReport(quiet, old, what, sourceLocation)
  }

  private static func expectSameReport(
    _ new: ScriptReport, _ old: ScriptReport, _ what: String, _ sourceLocation: SourceLocation
  ) {
    #expect(new.error == old.error, "\(what)", sourceLocation: sourceLocation)
    #expect(new.failures == old.failures, "\(what)", sourceLocation: sourceLocation)
    #expect(new.expectationsChecked == old.expectationsChecked, "\(what)", sourceLocation: sourceLocation)
    #expect(new.exitCode == old.exitCode, "\(what)", sourceLocation: sourceLocation)
    #expect(new.session.vm == old.session.vm, "\(what)", sourceLocation: sourceLocation)
    #expect(new.session.selectedVCPU == old.session.selectedVCPU, "\(what)", sourceLocation: sourceLocation)
    #expect(new.session.statementsRun == old.session.statementsRun, "\(what)", sourceLocation: sourceLocation)
    #expect(new.session.lastOutcome == old.session.lastOutcome, "\(what)", sourceLocation: sourceLocation)
  }

  @Test("every built-in scenario", arguments: Scenario.all.map(\.id))
  func scenarios(_ id: String) throws {
    Self.expectSameRun(try #require(Scenario.named(id)).source)
  }

  @Test("every fuzz seed and past finding")
  func fuzzCorpus() {
    let paths = FuzzCorpusTests.files(in: "corpus") + FuzzCorpusTests.files(in: "regressions")
    #expect(!paths.isEmpty)
    for path in paths {
      guard let data = FileManager.default.contents(atPath: path) else { continue }
      Self.expectSameRun(String(decoding: data, as: UTF8.self))
    }
  }

  /// Lines at the edge of what the fast parser accepts: each must parse (or fail) as
  /// `StatementParser` parses it, and print the same trace.
  static let edgeLines = [
    "mov cr4, cr4 & ~SMEP", "MOV CR4, Cr4 & ~smep", "mov\tcr4 ,cr4&~SMEP # comment", "mov cr4, 0x",
    "mov cr4, 0X360EF0", "mov cr4, 1_0", "mov cr4, 0b101", "mov cr4, 0o17", "mov cr4, 12a",
    "mov cr4, 0x1.5", "mov cr4, 99999999999999999999", "mov cr4, 0x1ffffffffffffffff",
    "mov cr4, cr4 & cr0", "mov cr4, cr4 ^ cr4 | SMEP", "mov cr4, cr4 << 1", "mov cr4, 1 << 64",
    "mov cr4, (1 << 20) >> 1", "mov cr4, 1 < 2", "mov cr4, ((((cr4))))", "mov cr4, ~~~cr4",
    "mov cr4, (cr4", "mov cr4, cr4)", "mov cr4, SMEP-1", "mov cr4, SMPE", "mov cr4, pins.cr4_high",
    "mov cr4, smram.cr4", "mov cr4, cr4.SMEP | CR0.wp", "mov efer, 1", "mov cr2, 1", "mov cr4 1",
    "mov cr4,", "mov cr4, 1 2", "mov cr4, 1 = 2", "mov cr4, \"x\"", "mov cr4, café",
    "mov cr3, 0xb41c000\r", "set cr4.PKE", "SET wp", "clear cr4", "set cr4.PKE extra", "set 5",
    "wrmsr CR4_PINNED_HIGH, SMEP | SMAP | UMIP", "wrmsr msr_kvm_cr4_pinned_high, 0",
    "wrmsr CR4_PIN_ALLOWED, 0", "wrmsr CR4_PINNED, SMEP", "wrmsr 0x4b564d0d, 0", "wrmsr 0x1ffffffff, 1",
    "wrmsr EFER, efer | 1", "wrmsr NOPE, 1", "wrmsr CR4_PINNED_HIGH 1", "rdmsr CR4_PINNED_HIGH",
    "rdmsr 0x4b564d0c", "rdmsr", "host rdmsr CR0_PINNED_HIGH", "HOST WRMSR cr4_pinned_high, 0",
    "host sregs cr4=0", "host frob", "expect ok", "expect GP", "expect gp # why", "expect stopped",
    "expect stopped == 1", "expect[heki] ok", "expect ok now", "expect rule pin.cr4.high",
    "expect value == 0x300800", "expect cr4 == 0x360ef0", "expect note \"pinned\"", "   ", "# comment",
    "#> narration", "  #>", "smi", "rsm", "vcpu 0", "vcpu 7", "option mechanism kvm-rfc2",
    "mov cr4, ~~0x360ef0", "mov cr4, (0x360ef0)", "mov cr4, ~(~0x360ef0)", "wrmsr CR4_PINNED_HIGH, (0)",
    "vcpu 0x0", "vcpu 1", "VCPUS 2", "vmentry", "vmexit", "smi now", "Reset", "boot", "kexec", "stac",
    "clac", "expect RULE Pin.CR4.High", "expect rule pin.cr4.high extra",
    String(repeating: "(", count: 33) + "1" + String(repeating: ")", count: 33),
    "mov cr4, " + Array(repeating: "1", count: 130).joined(separator: " | "),
    "mov cr4, " + String(repeating: "~", count: 300) + "1",
    "mov cr4, 1 # " + String(repeating: "x", count: 5000),
  ]

  @Test("edge lines, alone and after an action, an expect and a mechanism switch")
  func edgeLines() {
    for line in Self.edgeLines {
      Self.expectSameRun(line)
      Self.expectSameRun("mov cr4, cr4 & ~UMIP\n\(line)\nexpect ok\n")
      Self.expectSameRun("option mechanism kvm-rfc2\n\(line)\nexpect gp\nrdmsr CR4_PINNED\n")
      Self.expectSameRun("smi\n\(line)\nexpect rule pin.cr4.high\nrsm\n\(line)\nexpect value == 0\n")
    }
  }

  @Test("random programs from the everyday statements and the rest")
  func randomPrograms() {
    let pool = [
      "mov cr4, cr4 & ~SMEP", "set cr4.PKE", "clear cr4.PKE", "wrmsr CR4_PINNED_HIGH, SMEP | SMAP | UMIP",
      "mov cr0, cr0 | WP", "clear WP", "rdmsr CR4_PINNED_HIGH", "host rdmsr CR0_PINNED_HIGH",
      "host wrmsr CR4_PINNED_HIGH, 0", "host wrmsr CR0_PINNED_HIGH, 0", "mov cr3, 0xb41c000",
      "wrmsr CR4_PIN_ALLOWED, 0", "rdmsr CR4_PINNED", "expect ok", "expect gp", "expect rejected",
      "expect rule pin.cr4.high", "expect value == 0x300800", "expect note \"pinned\"",
      "expect cr4.SMEP == 1",
      "expect[kvm-rfc2] gp", "smi", "rsm", "smram cr4, smram.cr4 & ~SMEP", "mov cr4, smram.cr4",
      "vcpu 0", "vcpu 1", "reset", "boot", "reboot", "option mechanism kvm-rfc2", "option mechanism heki",
      "option mechanism kvm-2020", "vmentry", "vmexit", "#> a note", "", "# comment",
    ]
    var random = SplitMix64(seed: 0x5eed)
    for _ in 0..<300 {
      let count = Int(random.next() % 12) + 1
      let lines = (0..<count).map { _ in pool[Int(random.next() % UInt64(pool.count))] }
      let prefix = random.next() % 3 == 0 ? "vcpus 2\n" : ""
      Self.expectSameRun(prefix + lines.joined(separator: "\n"))
    }
  }

  @Test("a session with history: its last action is what the first expect sees")
  func sessionWithHistory() throws {
    var session = Session()
    _ = try session.run(line: "mov cr4, cr4 & ~SMEP", lineNumber: 1)
    Self.expectSameRun("expect gp\nexpect ok\nexpect rule pin.cr4.high\n", session: session)
    Self.expectSameRun("vcpus 2\nmov cr4, 0\n", session: session)
  }
}
