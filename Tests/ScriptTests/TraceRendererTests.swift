import Engine
import Testing

@testable import Script

/// The byte renderers (`TraceFormat.render(_:session:into:sentences:)`, one buffer and one
/// per-run cache for a whole run, as `crpin run` uses them) write every record exactly as the
/// string renderers they replaced (`PreviousTraceRenderer`): records of every kind, in both
/// formats, including the cache's repeated state blocks.
@Suite("byte trace renderers against the previous string renderers")
struct TraceRendererTests {
  /// `crpin-bench`'s mixed block, twice after `vcpus 4`.
  static let mixed =
    ["vcpus 4"]
    + Array(
      repeating: [
        "vcpu 1", "mov cr4, cr4 & ~SMEP", "expect gp", "smi", "mov cr4, cr4 & ~SMEP", "expect ok",
        "set cr4.SMEP",
        "rsm", "expect ok", "wrmsr CR4_PINNED_HIGH, SMEP | SMAP | UMIP", "expect ok", "rdmsr CR4_PINNED_HIGH",
        "vcpu 2", "vmentry", "clear cr4.SMEP", "expect ok", "set cr4.SMEP", "vmexit",
        "host rdmsr CR0_PINNED_HIGH",
        "vcpu 0", "mov cr0, cr0 & ~WP", "expect rule pin.cr0.high", "mov cr3, 0xb41c000", "vcpu 3",
        "clear cr4.PKE",
        "set cr4.PKE",
      ], count: 2
    ).joined()

  /// Records of the other kinds: failed and skipped expects, a note with quotes, a backslash
  /// and an escape sequence, kernel writes (layers), compound actions (steps), reads, a
  /// hypercall's RAX, and changes of modes, options, versions, CPUID, SMRAM, vmcs12 and pins.
  static let kinds = [
    "vcpus 2", "clear cr4.SMEP", "expect gp", "expect ok", "expect[heki] ok", "expect cr4 == 0",
    #"expect note "a \"quoted\" \\ back\#u{1b}[2Kslash\#u{9b}""#, "kernel write cr4, cr4 & ~SMEP",
    "expect pf",
    "kernel write cr0, cr0 & ~WP", "stac", "clac", "option kvm-pin off", "option native-pin on",
    "option host-cr4 0x1", "option host-cr0 0x80050033", "option kernel 6.1", "option kvm 6.2",
    "host cpuid -umip",
    "host cpuid +umip", "host sregs cr0=0x80050033 cr4=0x360ef0", "smi", "smram cr4, 0x360ef0",
    "smram cr0, 0x1",
    "rsm", "expect ud", "vcpu 1", "vmcs12 host_cr4, 0x360ef0", "vmentry", "clear cr4.SMEP", "vmexit",
    "host wrmsr CR4_PINNED_HIGH, 0", "wrmsr CR4_PINNED_HIGH, SMEP", "rdmsr CR4_PINNED_HIGH", "reset",
    "reboot keep-pins", "migrate drop-pins", "migrate", "boot", "kexec", "reboot", "boot",
    "option mechanism heki",
    "boot", "hypercall lock_cr cr4, SMEP", "hypercall lock_cr cr4, 0x1, 0x7", "option mechanism vtl1", "boot",
    "vtl1 intercept cr4, 0xffffffff", "vtl1 policy drop", "mov cr4, 0x0", "kernel write cr4, 0x0",
    "option mechanism kvm-rfc2", "boot", "wrmsr CR4_PINNED, SMEP", "option mechanism native", "boot",
    "kernel write cr4, cr4 & ~SMEP", "option mechanism none", "exec user", "access user", "set cr4.SMEP",
  ]

  private static func scripts() -> [(String, [String])] {
    [("mixed", mixed), ("kinds", kinds)]
      + Scenario.all.map {
        ($0.id, $0.source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
      }
  }

  /// Runs `lines` (a line that fails to run is left out) and compares each record's trace.
  private static func compare(_ lines: [String], _ format: TraceFormat, seen: inout Set<String>) -> Int {
    var session = Session()
    var out = TraceBuffer()
    var cache = RuleSentences()
    var records = 0
    for (index, line) in lines.enumerated() {
      guard let record = try? session.run(line: line, lineNumber: index + 1) else { continue }
      out.removeAll()
      let printed = format.render(record, session: session, into: &out, sentences: &cache)
      let previous = PreviousTraceRenderer.render(record, session: session, format: format)
      #expect((printed ? out.text : nil) == previous, "line \(index + 1): \(line)")
      records += 1
      if let result = record.expectation {
        seen.insert(result.skipped ? "skipped expect" : result.holds ? "expect" : "failed expect")
      }
      guard let outcome = record.outcome else { continue }
      if !outcome.layers.isEmpty { seen.insert("layers") }
      if !outcome.steps.isEmpty { seen.insert("steps") }
      if outcome.forced != nil { seen.insert("forced") }
      if outcome.value != nil { seen.insert("value") }
      if !outcome.rules.isEmpty { seen.insert("rules") }
      if outcome.notes.contains(where: { $0.contains("\"") }) { seen.insert("quoted note") }
      for change in outcome.changes { seen.insert("change " + change.field) }
    }
    return records
  }

  @Test(
    "every record of the mixed block, the other kinds and every scenario", arguments: TraceFormat.allCases)
  func everyRecord(_ format: TraceFormat) {
    var seen: Set<String> = []
    var records = 0
    for (_, lines) in Self.scripts() { records += Self.compare(lines, format, seen: &seen) }
    #expect(records > 500)
    let kinds = [
      "expect", "failed expect", "skipped expect", "layers", "steps", "forced", "value", "rules",
      "quoted note",
      "change CR0", "change CR3", "change CR4", "change EFER", "change SMM", "change mode",
      "change EFLAGS.AC",
      "change pins.cr4_high", "change SMRAM.CR4", "change vmcs12.host_cr4", "change mechanism",
      "change kernel",
      "change kvm", "change CPUID", "change host CR4", "change native pins", "change kvm-pin",
    ]
    for kind in kinds { #expect(seen.contains(kind), "no record with \(kind)") }
  }

  @Test("the state-block cache stays bounded and right when a run cycles through more states than it keeps")
  func manyStates() {
    let lines = ["vcpus 8"] + (0..<40).flatMap { ["vcpu \($0 % 8)", "mov cr3, \($0 * 4096)"] }
    var seen: Set<String> = []
    #expect(Self.compare(lines, .jsonl, seen: &seen) == 81)
  }

  @Test("the eight-bytes-at-a-time scans find what a byte-by-byte scan finds, at every length and position")
  func wordScans() {
    let specials: [UInt8] = [0x00, 0x09, 0x0A, 0x1B, 0x1F, 0x20, 0x22, 0x5C, 0x7E, 0x7F, 0xC2, 0x85, 0xC3]
    for length in 0...24 {
      for position in 0..<max(length, 1) {
        for special in specials {
          for follower: UInt8 in [0x41, 0x9B] {
            var bytes = [UInt8](repeating: UInt8(ascii: "m"), count: length)
            if length > 0 { bytes[position] = special }
            if position + 1 < length { bytes[position + 1] = follower }
            bytes.withUnsafeBufferPointer { text in
              let plain = !text.contains {
                $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xC2
              }
              #expect(TraceBuffer.isPlainJSON(text) == plain, "\(bytes)")
              let control = text.indices.first { index in
                let byte = text[index]
                if byte == 0x0A || byte == 0x09 { return false }
                if byte < 0x20 || byte == 0x7F { return true }
                return byte == 0xC2 && index + 1 < text.count && (0x80..<0xA0).contains(text[index + 1])
              }
              #expect(TerminalSafe.firstControl(in: text, from: 0) == control, "\(bytes)")
              #expect(
                TerminalSafe.isPrintableASCII(text) == text.allSatisfy { (0x20..<0x7F).contains($0) },
                "\(bytes)")
            }
          }
        }
      }
    }
  }
}
