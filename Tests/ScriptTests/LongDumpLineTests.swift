import Script
import Testing

/// `explain --from` and `tui --from` on one very long line (issue 19, item 2): memory linear
/// in the text, every value found, each shown as a short excerpt rather than the whole line.
@Suite("a register dump with one very long line")
struct LongDumpLineTests {
  /// About 600 KB on one line: `CR4: …` values, every other one different.
  static let line = (0..<27_000).map { "CR4: \($0 % 2 == 0 ? "00000000001006f0" : "0000000000360ef0") " }
    .joined()

  @Test("every value on a 600 KB line is found; each finding keeps an excerpt, not the line")
  func findsAllWithExcerpts() {
    let dump = RegisterDump(scanning: "RSP: 0018:ffffc90000003e38\n" + Self.line + "\nCR0: 80050033\n")
    #expect(Self.line.utf8.count > 590_000)
    #expect(dump.findings.count == 27_001)
    #expect(dump.findings.filter { $0.register == .cr4 }.allSatisfy { $0.line == 2 })
    #expect(dump.findings.allSatisfy { $0.text.count <= RegisterDump.excerptLength + 2 })
    #expect(
      dump.findings[0].text
        == String(Self.line.prefix(RegisterDump.excerptLength)).trimmingCharacters(in: " ") + "…")
    #expect(dump.findings[1].text.hasPrefix("…"))
    #expect(dump.otherValues(of: .cr4).count == 13_500)
    let text = Explain.dumpText(dump)
    #expect(text.hasPrefix("found CR0, CR4 (2 of CR0, CR2, CR3, CR4, EFER, EFLAGS)"))
    #expect(text.utf8.count < 1_000_000, "the output is linear in the values, not line × values")
  }

  @Test("a short line is kept whole, trimmed")
  func shortLineWhole() {
    let dump = RegisterDump(scanning: "  CR2: 0000000000401000 CR3: 000000000b41c000 \r\n")
    #expect(
      dump.findings.map(\.text) == Array(repeating: "CR2: 0000000000401000 CR3: 000000000b41c000", count: 2))
  }

  @Test("a long line cut inside a multi-byte character keeps whole characters")
  func excerptAtCharacterBoundary() {
    let dump = RegisterDump(
      scanning: String(repeating: "é", count: 300) + " CR4=360ef0 " + String(repeating: "é", count: 300))
    let finding = dump.findings.first
    #expect(finding?.value == 0x360ef0)
    #expect(finding?.text.unicodeScalars.contains("\u{FFFD}") == false)
    #expect(finding?.text.contains("CR4=360ef0") == true)
  }
}
