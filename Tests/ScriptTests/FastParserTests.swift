import Engine
import SeededRandom
import Testing

@testable import Script

/// The fast parser (`FastStatementParser`) against `StatementParser`, line by line: a line it
/// accepts must be the statement the general parser gives (text, command, operand column, the
/// action it resolves to, whether it computes its value); a line the general parser refuses it
/// must decline.
@Suite("fast parser against the general parser")
struct FastParserTests {
  /// Checks `line` on both parsers (as the statement's line 1, on `vm`'s vCPU 0) and returns
  /// whether the fast parser read it as a statement.
  @discardableResult
  static func expectAgreement(
    _ line: String, vm: VirtualMachine = VirtualMachine(bootedWith: 1), names: inout NameTable,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Bool {
    // Alone in its buffer (words read a byte at a time near the end), and followed by word
    // characters (words read eight bytes at a time, the bytes past the line's end left out).
    func fast(_ bytes: [UInt8]) -> (line: FastStatementParser.Line, text: String)? {
      bytes.withUnsafeBufferPointer { buffer in
        FastStatementParser.parse(buffer, from: 0, to: line.utf8.count, names: &names).map {
          (line: $0.line, text: String(decoding: buffer[$0.text], as: UTF8.self))
        }
      }
    }
    let read = fast(Array(line.utf8))
    let padded = fast(
      Array(line.utf8) + Array("aZ_9.-".utf8) + Array(repeating: UInt8(ascii: "Q"), count: 40))
    #expect(
      padded?.line == read?.line && padded?.text == read?.text, "\(line.debugDescription)",
      sourceLocation: sourceLocation)
    let general: ParsedStatement?
    do throws(ScriptError) {
      general = try StatementParser.parse(line, lineNumber: 1)
    } catch {
      #expect(
        read == nil, "the fast parser read \(line.debugDescription), which fails: \(error.message)",
        sourceLocation: sourceLocation)
      return false
    }
    guard let read else { return false }
    guard let general else {
      #expect(read.line == .blank, "\(line.debugDescription)", sourceLocation: sourceLocation)
      return false
    }
    #expect(read.text == general.text, "\(line.debugDescription)", sourceLocation: sourceLocation)
    switch read.line {
    case .blank:
      Issue.record("the fast parser read \(line.debugDescription) as blank", sourceLocation: sourceLocation)
    case .command(let command, let operandColumn):
      let fast = ParsedStatement(
        line: 1, text: read.text, command: command.command, operandColumn: operandColumn)
      #expect(fast == general, "\(line.debugDescription)", sourceLocation: sourceLocation)
    case .instruction(let instruction, let computesValue):
      #expect(
        instruction.op == general.command.op, "\(line.debugDescription)", sourceLocation: sourceLocation)
      switch general.command {
      case .action(let template):
        #expect(
          computesValue == template.computesValue, "\(line.debugDescription)", sourceLocation: sourceLocation)
        let action = try template.resolve(in: vm, on: 0, line: 1)
        #expect(
          instruction.action(in: vm, on: 0) == action, "\(line.debugDescription)",
          sourceLocation: sourceLocation)
      case .expect(let expectation, let only):
        guard case .expectOutcome(let kind) = instruction else {
          Issue.record("\(line.debugDescription): \(instruction)", sourceLocation: sourceLocation)
          break
        }
        #expect(
          expectation == .outcome(kind) && only.isEmpty, "\(line.debugDescription)",
          sourceLocation: sourceLocation)
        #expect(!computesValue, "\(line.debugDescription)", sourceLocation: sourceLocation)
      default:
        Issue.record("\(line.debugDescription): \(general.command)", sourceLocation: sourceLocation)
      }
    }
    return read.line != .blank
  }

  /// Every line of crpin-bench's two scripts: each must be read by the fast parser.
  static let benchLines = [
    "vcpus 4", "vcpu 1", "mov cr4, cr4 & ~SMEP", "expect gp", "smi", "expect ok", "set cr4.SMEP", "rsm",
    "wrmsr CR4_PINNED_HIGH, SMEP | SMAP | UMIP", "rdmsr CR4_PINNED_HIGH", "vcpu 2", "vmentry",
    "clear cr4.SMEP", "vmexit", "host rdmsr CR0_PINNED_HIGH", "vcpu 0", "mov cr0, cr0 & ~WP",
    "expect rule pin.cr0.high", "mov cr3, 0xb41c000", "vcpu 3", "clear cr4.PKE", "set cr4.PKE",
  ]

  @Test("every statement of the bench's scripts is read by the fast parser, as the general parser reads it")
  func benchScripts() throws {
    var names = NameTable()
    for line in Self.benchLines {
      #expect(try Self.expectAgreement(line, names: &names), "declined: \(line)")
    }
  }

  /// Lines at the edges of the forms the fast parser reads.
  static let edgeLines = [
    "vcpu 7", "vcpu 8", "vcpu 0x3", "vcpu 01", "vcpu 1_0", "vcpu 0b1", "vcpu 1.5", "vcpu 1 2", "vcpu",
    "vcpu x", "vcpu 99999999999999999999", "VCPU 2 # two", "vcpus 1", "vcpus 8", "vcpus 0", "vcpus 9",
    "vcpus 4\r", "smi", "SMI", "smi now", "smi # enter", "smi-x", "rsm,", "vmentry", "vmexit 1", "Reset",
    "boot", "kexec", "stac", "clac", "reboot", "reboot keep-pins", "migrate", "exec user", "expect rule",
    "expect rule pin.cr0.high", "expect RULE PIN.CR4.HIGH", "expect rule pin.cr9.high",
    "expect rule pin.cr0.high x", "expect rule 5", "expect[heki] rule pin.cr4.high", "expect[heki] ok",
    "expect stopped", "expect stopped == 1", "expect Dropped", "expect rejected", "expect exit", "expect ud",
    "expect pf", "expect value == 0", "expect note \"x\"", "expect", "expect 5", "mov cr4, ~~10",
    "mov cr4, (10)", "mov cr4, ~(~10)", "mov cr4, ((7))", "mov cr4, ~10", "mov cr4, 10", "mov cr4, 1 | 2",
    "wrmsr CR4_PINNED_HIGH, (0x300800)", "wrmsr CR4_PINNED_HIGH, ~~0", "host wrmsr CR4_PINNED_HIGH, ~0",
    "  mov  cr4 ,  10  # c", "\tset cr4.SMEP\t", "set cr4.SMEP\r", "#> narration", "# plain", "",
    "set cr4.smep", "set CR4.Smep", "wrmsr msr_kvm_cr4_pinned_high, 0", "wrmsr MSR_KVM_CR4_PINNED_HIGHX, 0",
    "rdmsr abcdefghijklmnopqrstuvwx", "rdmsr abcdefghijklmnopqrstuvwxy", "set aaaaaaaa",
    "set aaaaaaaaaaaaaaaa",
    "set @", "set cr4.SMEP/", "set cr4.SM`P", "set cr4.SM{P", "set cr4.SM[P", "clear cr0.wp~",
  ]

  @Test("edge lines of every form")
  func edges() throws {
    var names = NameTable()
    for line in Self.edgeLines + StreamingRunnerTests.edgeLines {
      try Self.expectAgreement(line, names: &names)
    }
  }

  /// Pieces random lines are made of: keywords, names, numbers, operators, blanks, comments.
  static let pieces = [
    "mov", "set", "clear", "wrmsr", "rdmsr", "host", "expect", "vcpu", "vcpus", "smi", "rsm", "vmentry",
    "vmexit", "reset", "boot", "rule", "ok", "gp", "stopped", "cr0", "cr3", "cr4", "efer", "cr4.SMEP",
    "SMEP", "smap", "WP", "cr0.wp", "CR4_PINNED_HIGH", "cr0_pinned_high", "pin.cr4.high", "pin.cr0.high",
    "pins.cr4_high", "smram.cr4", "0", "1", "3", "7", "8", "0x10", "0X1F", "12a", "1_0", "0b1", "5.8",
    "99999999999999999999", ",", "&", "|", "^", "~", "(", ")", "<<", ">>", "==", "=", "[", "]", "-", "#",
    "#>", " ", "  ", "\t", "\r", "é", "\"x\"",
  ]

  @Test("random lines: the fast parser accepts a line only as the general parser reads it")
  func randomLines() throws {
    // Each line is a bench statement, its words cased at random, with up to two of its tokens
    // replaced by, or joined to, a random piece.
    var random = SplitMix64(seed: 0xfa57)
    var names = NameTable()
    var accepted = 0
    var declined = 0
    for _ in 0..<1500 {
      let statement = Self.benchLines[Int(random.next() % UInt64(Self.benchLines.count))]
      var tokens = statement.split(separator: " ").map(String.init)
      for _ in 0..<Int(random.next() % 3) {
        let piece = Self.pieces[Int(random.next() % UInt64(Self.pieces.count))]
        let index = Int(random.next() % UInt64(tokens.count))
        switch random.next() % 3 {
        case 0: tokens[index] = piece
        case 1: tokens.insert(piece, at: index)
        default: tokens[index] += piece
        }
      }
      var line = ""
      for (index, token) in tokens.enumerated() {
        if index > 0, random.next() % 5 != 0 { line += random.next() % 4 == 0 ? "\t" : " " }
        line += random.next() % 3 == 0 ? token.uppercased() : token
      }
      if try Self.expectAgreement(line, names: &names) { accepted += 1 } else { declined += 1 }
    }
    // The lines exercise both sides.
    #expect(accepted > 300 && declined > 300, "accepted \(accepted), declined \(declined)")
  }

  @Test("the word table agrees with the lexer's word characters, lowercased")
  func wordTable() {
    #expect(ASCII.wordBytes.utf8CodeUnitCount == 128)
    for byte in UInt8(0)..<128 {
      let continues = Lexer.isWordContinuation(Unicode.Scalar(byte))
      #expect(ASCII.isWordContinuation(byte) == continues, "\(byte)")
      #expect(ASCII.wordBytes.utf8Start[Int(byte)] == (continues ? ASCII.lowercased(byte) : 0), "\(byte)")
    }
  }

  @Test("a literal operand under parentheses or an even number of ~ does not compute its value")
  func literalOperands() throws {
    for (line, computes) in [
      ("mov cr4, ~~10", false), ("mov cr4, (10)", false), ("mov cr4, ~(~10)", true), ("mov cr4, ~10", true),
      ("mov cr4, 10", false), ("wrmsr CR4_PINNED_HIGH, ((0x800))", false), ("mov cr4, cr4", true),
    ] {
      var parser = LineParser()
      let bytes = Array(line.utf8)
      let read = try bytes.withUnsafeBufferPointer {
        try parser.parse($0, 0..<$0.count, number: 1, text: true)
      }
      guard case .fast(_, let text, let computesValue) = read else {
        Issue.record("not fast: \(line)")
        continue
      }
      #expect(text == line && computesValue == computes, "\(line)")
    }
  }
}
