import Engine
import Foundation
import Script
import Testing

/// Golden output of a small script, in both formats (the whole stream, narration included).
@Suite("golden traces")
struct GoldenTraceTests {
  static let script = """
    # golden
    #> The guest tries, the VMM unpins.
    clear cr4.SMEP
    expect gp
    host wrmsr CR4_PINNED_HIGH, 0
    rdmsr CR4_PINNED_HIGH
    expect value == 1
    vcpu 0
    clear cr4.SMEP  # now it works
    """

  private func output(_ format: TraceFormat) -> (String, ScriptReport) {
    var pieces: [String] = []
    let report = runScript(Self.script, format: format) { pieces.append($0) }
    return (pieces.joined(separator: "\n"), report)
  }

  @Test("text")
  func text() {
    let (text, report) = output(.text)
    #expect(text == Self.text)
    #expect(report.exitCode == 1)
    #expect(report.failures.map(\.line) == [7])
  }

  @Test("jsonl: one object per executed statement, none for comments, narration or expect")
  func jsonl() {
    let (text, _) = output(.jsonl)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.count == Self.jsonl.count)
    for (line, golden) in zip(lines, Self.jsonl) {
      #expect(line == golden)
    }
  }

  @Test("JSON strings are escaped")
  func escaping() throws {
    var session = Session()
    let record = try #require(try session.run(line: "smi", lineNumber: 1))
    let rendered = try #require(TraceFormat.jsonl.render(record, session: session))
    #expect(rendered.contains(#"says entering SMM \"disables pinned bits\"; SMM"#))
  }

  @Test("every scenario's jsonl is valid JSON with the required keys", arguments: Scenario.all.map(\.id))
  func validJSON(_ id: String) throws {
    let scenario = try #require(Scenario.named(id))
    var lines: [String] = []
    _ = runScript(scenario.source, format: .jsonl) { lines.append($0) }
    let required = [
      "line", "op", "vcpu", "outcome", "rules", "notes", "cr0", "cr3", "cr4", "efer", "smm", "l2", "pins",
      "kernel", "kvm",
    ]
    for line in lines {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      let keys = Set(object?.keys.map { $0 } ?? [])
      #expect(keys.isSuperset(of: required), "\(line)")
      let outcome = object?["outcome"] as? String ?? ""
      #expect(OutcomeKind(rawValue: outcome) != nil)
      #expect(object?["eflags_ac"] is Bool)
      let pins = object?["pins"] as? [String: String] ?? [:]
      #expect(Set(pins.keys) == ["cr0_low", "cr0_high", "cr4_low", "cr4_high"])
      #expect((object?["cr4"] as? String)?.hasPrefix("0x") == true)
    }
  }

  static let text = """
    line  statement                         outcome  rules                 changes

      The guest tries, the VMM unpins.

       3  clear cr4.SMEP                    #GP      pin.cr4.high          no change
            as: mov cr4, 0x260ef0
            why: CR4.SMEP (bit 20, 0x100000) is pinned high: the write would clear it. [pin.cr4.high]
       4  expect gp                         holds    #GP
       5  host wrmsr CR4_PINNED_HIGH, 0     ok       -                     pins.cr4_high 0x300800 → 0x0
            note: The VMM is trusted: a host write may clear or change pins at any time.
       6  rdmsr CR4_PINNED_HIGH             ok       -                     read 0x0
            note: D2: The documentation calls the pinned MSRs write-only for the guest; the code lets the guest read them.
       7  expect value == 1                 FAILED   expected value == 0x1, got 0x0
       8  vcpu 0                            ok       -                     vCPU 0 selected
       9  clear cr4.SMEP                    ok       -                     CR4 0x360ef0 → 0x260ef0
            as: mov cr4, 0x260ef0
    """

  static let jsonl: [String] = [
    #"{"line":3,"op":"clear","statement":"clear cr4.SMEP","action":"mov cr4, 0x260ef0","vcpu":0,"outcome":"gp","rules":["pin.cr4.high"],"notes":[],"cr0":"0x80050033","cr3":"0xb41c000","cr4":"0x360ef0","efer":"0xd01","smm":false,"l2":false,"stopped":false,"eflags_ac":false,"kernel":"5.8","kvm":"5.8","pins":{"cr0_low":"0x0","cr0_high":"0x10000","cr4_low":"0x0","cr4_high":"0x300800"},"changes":[]}"#,
    #"{"line":5,"op":"host wrmsr","statement":"host wrmsr CR4_PINNED_HIGH, 0","action":"host wrmsr CR4_PINNED_HIGH, 0x0","vcpu":0,"outcome":"ok","rules":[],"notes":["The VMM is trusted: a host write may clear or change pins at any time."],"cr0":"0x80050033","cr3":"0xb41c000","cr4":"0x360ef0","efer":"0xd01","smm":false,"l2":false,"stopped":false,"eflags_ac":false,"kernel":"5.8","kvm":"5.8","pins":{"cr0_low":"0x0","cr0_high":"0x10000","cr4_low":"0x0","cr4_high":"0x0"},"changes":[{"vcpu":0,"field":"pins.cr4_high","old":"0x300800","new":"0x0"}]}"#,
    #"{"line":6,"op":"rdmsr","statement":"rdmsr CR4_PINNED_HIGH","action":"rdmsr CR4_PINNED_HIGH","vcpu":0,"outcome":"ok","rules":[],"notes":["D2: The documentation calls the pinned MSRs write-only for the guest; the code lets the guest read them."],"cr0":"0x80050033","cr3":"0xb41c000","cr4":"0x360ef0","efer":"0xd01","smm":false,"l2":false,"stopped":false,"eflags_ac":false,"kernel":"5.8","kvm":"5.8","pins":{"cr0_low":"0x0","cr0_high":"0x10000","cr4_low":"0x0","cr4_high":"0x0"},"value":"0x0","changes":[]}"#,
    #"{"line":8,"op":"vcpu","statement":"vcpu 0","vcpu":0,"outcome":"ok","rules":[],"notes":[],"cr0":"0x80050033","cr3":"0xb41c000","cr4":"0x360ef0","efer":"0xd01","smm":false,"l2":false,"stopped":false,"eflags_ac":false,"kernel":"5.8","kvm":"5.8","pins":{"cr0_low":"0x0","cr0_high":"0x10000","cr4_low":"0x0","cr4_high":"0x0"},"changes":[]}"#,
    #"{"line":9,"op":"clear","statement":"clear cr4.SMEP","action":"mov cr4, 0x260ef0","vcpu":0,"outcome":"ok","rules":[],"notes":[],"cr0":"0x80050033","cr3":"0xb41c000","cr4":"0x260ef0","efer":"0xd01","smm":false,"l2":false,"stopped":false,"eflags_ac":false,"kernel":"5.8","kvm":"5.8","pins":{"cr0_low":"0x0","cr0_high":"0x10000","cr4_low":"0x0","cr4_high":"0x0"},"changes":[{"vcpu":0,"field":"CR4","old":"0x360ef0","new":"0x260ef0"}]}"#,
  ]
}
