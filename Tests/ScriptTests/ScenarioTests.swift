import Script
import Testing

@Suite("built-in scenarios")
struct ScenarioTests {
  @Test("every scenario parses, runs and all its expectations hold", arguments: Scenario.all.map(\.id))
  func runs(_ id: String) throws {
    let scenario = try #require(Scenario.named(id))
    let report = runScript(scenario.source, format: .text) { _ in }
    #expect(report.error == nil)
    #expect(report.failures == [])
    #expect(report.expectationsChecked >= 3)
    #expect(report.exitCode == 0)
  }

  @Test("every scenario has narration before its first step", arguments: Scenario.all.map(\.id))
  func narrated(_ id: String) throws {
    let statements = try #require(Scenario.named(id)).parsed().get()
    guard case .narration? = statements.first?.command else {
      Issue.record("\(id) does not start with narration")
      return
    }
  }

  @Test("the scenarios of the reference are all there, ids unique")
  func catalogue() {
    let ids = Scenario.all.map(\.id)
    #expect(
      ids == [
        "rop-smep", "boot-pins", "guest-cannot-unpin", "host-can-unpin", "pin-rules", "wp-pinned",
        "native-pin-zero",
        "smm-free", "smm-tamper", "nested-restore", "l2-unpinned", "nested-smm", "hibernate",
        "reboot-stale", "migration", "hidden-feature", "kexec", "compare-rop", "rfc2-pin-to-value",
        "rfc2-smram-rewrite", "rfc2-nested-bypass", "heki-smm-gap", "heki-per-vm", "vtl1-drop",
        "init-policy", "wp-guest-owned", "wp-owned-6.4", "cet-wp-6.18", "kernel-versions", "lesson-smep",
        "lesson-smap", "xen-deny",
      ])
    #expect(Set(ids).count == ids.count)
    #expect(Scenario.named("ROP-SMEP")?.id == "rop-smep")
    #expect(Scenario.suggestion(for: "rop-smap") == "rop-smep")
  }

  @Test(
    "mechanism scenarios name a source in their narration",
    arguments: [
      "compare-rop", "rfc2-pin-to-value", "rfc2-smram-rewrite", "rfc2-nested-bypass", "heki-smm-gap",
      "heki-per-vm", "vtl1-drop", "init-policy", "wp-guest-owned", "wp-owned-6.4", "cet-wp-6.18",
      "kernel-versions",
    ])
  func sourced(_ id: String) throws {
    let narration = try #require(Scenario.named(id)).parsed().get().compactMap { statement -> String? in
      if case .narration(let text) = statement.command { return text }
      return nil
    }.joined(separator: " ")
    let sources = ["Message-ID", "Message-Id", "TLFS", "mechanisms.md", "Bonzini"]
    #expect(sources.contains { narration.contains($0) }, "\(id)")
  }

  @Test("narration shows in text between steps, not in jsonl")
  func narrationInText() throws {
    let scenario = try #require(Scenario.named("host-can-unpin"))
    var text: [String] = []
    _ = runScript(scenario.source, format: .text) { text.append($0) }
    #expect(text.contains { $0.contains("The VMM writes the same MSR through KVM_SET_MSRS") })
    var json: [String] = []
    _ = runScript(scenario.source, format: .jsonl) { json.append($0) }
    #expect(json.count == 2)
    #expect(json.allSatisfy { $0.hasPrefix("{\"line\":") })
  }
}
