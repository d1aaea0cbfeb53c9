import Script
import Testing

/// The two trainer lessons of issue 8: they run clean, follow the usual lesson order, name their
/// sources and always show SMEP/SMAP with bit index and mask.
@Suite("lessons")
struct LessonTests {
  private func narration(_ id: String) throws -> String {
    try #require(Scenario.named(id)).parsed().get().compactMap { statement -> String? in
      if case .narration(let text) = statement.command { return text }
      return nil
    }.joined(separator: " ")
  }

  private func statements(_ id: String) throws -> [String] {
    try #require(Scenario.named(id)).parsed().get().compactMap { statement -> String? in
      switch statement.command {
      case .narration, .expect: nil
      default: statement.text
      }
    }
  }

  @Test("both lessons run with every expectation holding", arguments: ["lesson-smep", "lesson-smap"])
  func runs(_ id: String) throws {
    let report = runScript(try #require(Scenario.named(id)).source, format: .text) { _ in }
    #expect(report.error == nil)
    #expect(report.failures == [])
    #expect(report.expectationsChecked >= 20)
  }

  @Test("the narration names the course sources", arguments: ["lesson-smep", "lesson-smap"])
  func sources(_ id: String) throws {
    let text = try narration(id)
    for source in ["lkmidas", "pawnyable", "ir0nstone", "pwn.college"] {
      #expect(text.contains(source), "\(id) does not name \(source)")
    }
  }

  @Test("SMEP is shown with index and mask; LKDTM and the hypothetical gadget are named")
  func smepNarration() throws {
    let text = try narration("lesson-smep")
    #expect(text.contains("bit 20"))
    #expect(text.contains("0x100000"))
    #expect(text.contains("LKDTM"))
    #expect(text.contains("UNSET_SMEP"))
    #expect(text.contains("HYPOTHETICAL"))
    #expect(text.contains("0x1006f0") && text.contains("0x6f0"))
  }

  @Test("SMAP and EFLAGS.AC are shown with index and mask")
  func smapNarration() throws {
    let text = try narration("lesson-smap")
    #expect(text.contains("bit 21"))
    #expect(text.contains("0x200000"))
    #expect(text.contains("bit 18"))
    #expect(text.contains("0x40000"))
  }

  @Test("lesson-smep follows the usual order")
  func smepOrder() throws {
    #expect(
      try statements("lesson-smep") == [
        "option mechanism none", "boot", "host sregs cr4=cr4 & ~SMEP", "exec user",
        "option mechanism native", "boot", "exec user",
        "kernel write cr4, cr4 & ~SMEP", "exec user",
        "kernel write cr4, cr4 & ~SMEP",
        "mov cr4, cr4 & ~SMEP", "exec user",
        "option mechanism kvm-2020", "boot", "mov cr4, cr4 & ~SMEP", "kernel write cr4, cr4 & ~SMEP",
        "exec user",
      ])
  }

  @Test("lesson-smap: access user, stac, then the same pinning contrast")
  func smapOrder() throws {
    let lines = try statements("lesson-smap")
    let access = try #require(lines.firstIndex(of: "access user"))
    let stac = try #require(lines.firstIndex(of: "stac"))
    let gadget = try #require(lines.firstIndex(of: "mov cr4, cr4 & ~SMAP"))
    let paravirtual = try #require(lines.firstIndex(of: "option mechanism kvm-2020"))
    #expect(access < stac && stac < gadget && gadget < paravirtual)
  }
}
