import Engine
import Foundation
import Testing

@testable import Script

/// The statement table (`StatementKind`) against everything made from it: the parsers, the
/// printer, the help, completion and the README. A statement added to the table without one of
/// its pieces fails here (or does not compile).
@Suite("statement table")
struct StatementTableTests {
  /// Statements no action prints: the script's own (`vcpus`, `vcpu`, `expect`) and the
  /// read-modify-write forms that run as a `mov`.
  static let notPrinted: Set<StatementKind> = [.vcpus, .vcpu, .set, .clear, .expect]

  static let printed = StatementKind.allCases.filter { !notPrinted.contains($0) }

  static let examples = printed.flatMap { kind in kind.row.examples.map { (kind, $0) } }

  @Test("every statement an action prints has examples, and no other has", arguments: StatementKind.allCases)
  func examplesPresent(_ kind: StatementKind) {
    #expect(kind.row.examples.isEmpty == Self.notPrinted.contains(kind))
  }

  @Test(
    "each example prints as its statement and parses back to itself under every mechanism",
    arguments: Mechanism.allCases)
  func printerParserRoundTrip(_ mechanism: Mechanism) throws {
    for (kind, action) in Self.examples {
      #expect(StatementKind(action) == kind)
      var session = Session(vm: VirtualMachine(resetWith: 1))
      _ = try session.run(line: "option mechanism \(mechanism.rawValue)", lineNumber: 1)
      let text = StatementText.of(action, under: mechanism)
      #expect(text.lowercased().hasPrefix(kind.row.words.joined(separator: " ")), "\(text)")
      let record = try session.run(line: text, lineNumber: 2)
      #expect(record?.action == action, "\(text)")
      #expect(record?.op == kind.op, "\(text)")
      #expect(kind.row.actor != nil, "\(text): its row names no actor")
    }
  }

  @Test(
    "an action run directly (the TUI's keys) gives the record of its printed statement's line",
    arguments: Mechanism.allCases)
  func directRunMatchesLine(_ mechanism: Mechanism) throws {
    var start = Session()
    _ = try start.run(line: "option mechanism \(mechanism.rawValue)", lineNumber: 1)
    for (_, action) in Self.examples {
      var direct = start
      var parsed = start
      let record = try direct.run(action, lineNumber: 2)
      let line = try #require(try parsed.run(line: start.statement(for: action), lineNumber: 2))
      #expect(record.text == line.text && record.op == line.op && record.action == line.action)
      #expect(record.outcome == line.outcome && record.computesValue == line.computesValue, "\(line.text)")
      #expect(direct.vm == parsed.vm && direct.statementsRun == parsed.statementsRun, "\(line.text)")
    }
  }

  /// The fast parser's statements: it must read each as the general parser does.
  static let fastKinds: Set<StatementKind> = [
    .vcpus, .vcpu, .mov, .set, .clear, .wrmsr, .rdmsr, .hostWrmsr, .hostRdmsr, .smi, .rsm, .vmentry,
    .vmexit, .reset, .boot, .kexec, .stac, .clac, .expect,
  ]

  static let fastLines = [
    "set cr4.SMEP", "clear cr0.WP", "mov cr4, cr4 & ~SMEP", "wrmsr CR4_PINNED, SMAP",
    "host rdmsr cr0_pin_allowed", "expect gp", "expect ok", "vcpus 4", "vcpu 0", "expect rule pin.cr0.high",
  ]

  @Test(
    "the fast parser reads its statements as the general parser does, under every mechanism",
    arguments: Mechanism.allCases)
  func fastParserAgrees(_ mechanism: Mechanism) throws {
    var session = Session()
    _ = try session.run(line: "option mechanism \(mechanism.rawValue)", lineNumber: 1)
    let lines = Self.examples.map { StatementText.of($0.1, under: mechanism) } + Self.fastLines
    var accepted: Set<StatementKind> = []
    var names = NameTable()
    for line in lines {
      let kind = try StatementKind.reading(line)
      guard try FastParserTests.expectAgreement(line, vm: session.vm, names: &names) else {
        #expect(!Self.fastKinds.contains(kind), "the fast parser declined \(line)")
        continue
      }
      accepted.insert(kind)
      #expect(Self.fastKinds.contains(kind), "\(line)")
    }
    #expect(accepted == Self.fastKinds)
  }

  @Test("the help has a line for every statement, each within 80 columns")
  func help() {
    for kind in StatementKind.allCases {
      let syntax = kind.row.words.joined(separator: " ")
      #expect(StatementKind.helpLines.contains { $0.syntax.lowercased().contains(syntax) }, "\(syntax)")
      #expect(!LanguageHelp.entries(for: kind.row.words).isEmpty, "help \(syntax)")
    }
    #expect(LanguageHelp.text.contains(StatementKind.helpText))
    for line in LanguageHelp.text.split(separator: "\n") where line.hasPrefix("  ") {
      #expect(line.count <= 78, "\(line)")
    }
  }

  @Test("completion and 'did you mean' offer every keyword, and only those")
  func keywords() {
    let firstWords = StatementKind.allCases.map { $0.row.words[0] }
    #expect(Set(Suggestions.keywords) == Set(firstWords))
    #expect(Suggestions.keywords.count == Set(firstWords).count)
    #expect(Completion.candidates(in: "", cursor: 0).names == Suggestions.keywords + ["help"])
    for kind in StatementKind.allCases where kind.row.words.count > 1 {
      let line = kind.row.words[0] + " "
      let names = Completion.candidates(in: line, cursor: line.count).names
      #expect(names.contains(kind.row.words[1]), "\(line)")
    }
  }

  /// README.md, from this file's place in the repository.
  static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")

  /// The README's table is the table's: `CRPIN_UPDATE_README=1 swift test --filter
  /// StatementTableTests` writes it after a change to the statement table.
  @Test("the README's statement table is the statement table")
  func readmeTable() throws {
    let text = try String(contentsOf: Self.readme, encoding: .utf8)
    let table = StatementKind.markdownTable
    let start = try #require(text.range(of: "| statement | what |\n"))
    let end = text.range(of: "\n\n", range: start.lowerBound..<text.endIndex)?.lowerBound ?? text.endIndex
    let current = String(text[start.lowerBound..<end])
    if current != table, ProcessInfo.processInfo.environment["CRPIN_UPDATE_README"] == "1" {
      try text.replacingCharacters(in: start.lowerBound..<end, with: table)
        .write(to: Self.readme, atomically: true, encoding: .utf8)
      return
    }
    #expect(current == table, "run CRPIN_UPDATE_README=1 swift test --filter StatementTableTests")
  }

  @Test("boot's sub-steps name MSRs as the design in force does (kvm-rfc2: CR0_PINNED, not CR0_PIN_ALLOWED)")
  func bootStepsUnderRFC2() throws {
    var session = Session()
    _ = try session.run(line: "option mechanism kvm-rfc2", lineNumber: 1)
    let boot = try #require(try session.run(line: "boot", lineNumber: 2)?.outcome)
    let printed = boot.steps.map { StatementText.of($0, in: boot) }
    #expect(printed.suffix(2) == ["wrmsr CR0_PINNED, 0x10000", "wrmsr CR4_PINNED, 0x300800"])
    #expect(printed.contains("rdmsr CR0_PIN_ALLOWED"))
    // Each sub-step, printed, reads back as the same action under kvm-rfc2.
    for (step, text) in zip(boot.steps, printed) {
      var copy = session
      #expect(try copy.run(line: text, lineNumber: 3)?.action == step.action, "\(text)")
    }
    let again = try #require(try session.run(line: "boot", lineNumber: 3))
    let json = try #require(TraceFormat.jsonl.render(again, session: session))
    #expect(json.contains(#""statement":"wrmsr CR4_PINNED, 0x300800""#))
    #expect(!json.contains("CR4_PIN_ALLOWED, 0x300800"))
  }
}

extension StatementKind {
  /// The statement `line` starts.
  static func reading(_ line: String) throws -> StatementKind {
    let tokenized = try Lexer.tokenize(line, lineNumber: 1)
    var cursor = TokenCursor(tokenized, line: 1)
    let first = try #require(cursor.peek)
    _ = cursor.next()
    return try reading(first, &cursor)
  }
}
