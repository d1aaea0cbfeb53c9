import Script
import Testing

@Suite("parse errors: message, line and column")
struct ParseErrorTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let source: String
    let line: Int
    let column: Int
    let message: String
    var testDescription: String { source.count > 40 ? String(source.prefix(37)) + "..." : source }
  }

  static let cases: [Case] = [
    Case(source: "mvo cr4, 0", line: 1, column: 1, message: "unknown statement 'mvo'; did you mean 'mov'?"),
    Case(source: "# c\nfrobnicate", line: 2, column: 1, message: "unknown statement 'frobnicate'"),
    Case(
      source: "mov cr5, 0", line: 1, column: 5, message: "unknown control register 'cr5'; did you mean 'cr0'?"
    ),
    Case(source: "mov efer, 0", line: 1, column: 5, message: "EFER is an MSR: write it with `wrmsr EFER, …`"),
    Case(source: "mov cr4 0", line: 1, column: 9, message: "expected ',' after the register, found '0'"),
    Case(
      source: "mov cr4,", line: 1, column: 9,
      message:
        "expected a value (a number, a bit name such as SMEP, or a register) at the end of the statement"),
    Case(
      source: "mov cr4, cr4 & ~SMPE", line: 1, column: 17,
      message: "unknown name 'SMPE'; did you mean 'SMEP'?"),
    Case(
      source: "mov cr4, 0x1g", line: 1, column: 10,
      message: "invalid number '0x1g': 'g' is not a hexadecimal digit"),
    Case(
      source: "mov cr4, 0b102", line: 1, column: 10,
      message: "invalid number '0b102': '2' is not a binary digit"),
    Case(source: "mov cr4, 0x", line: 1, column: 10, message: "invalid number '0x': no digits"),
    Case(
      source: "mov cr4, 0x10000000000000000", line: 1, column: 10,
      message: "number '0x10000000000000000' does not fit in 64 bits"),
    Case(
      source: "mov cr4, 18446744073709551616", line: 1, column: 10,
      message: "number '18446744073709551616' does not fit in 64 bits"),
    Case(
      source: "mov cr4, -1", line: 1, column: 10,
      message: "unexpected '-': numbers cannot be negative (write ~0 for all ones)"),
    Case(
      source: "mov cr4, (1 | 2", line: 1, column: 16, message: "missing ')' to close the '(' at column 10"),
    Case(source: "mov cr4, 1 2", line: 1, column: 12, message: "unexpected '2' after the statement"),
    Case(
      source: "mov cr4, 1 + 2", line: 1, column: 12,
      message: "unexpected '+': expressions use | & ^ ~ << >> and parentheses"),
    Case(
      source: "mov cr4, \u{0}", line: 1, column: 10,
      message: "unexpected character U+0000 (is this a text file?)"),
    Case(
      source: "wrmsr CR4_PINED_HIGH, 0", line: 1, column: 7,
      message: "unknown MSR 'CR4_PINED_HIGH'; did you mean 'CR4_PINNED_HIGH'?"),
    Case(
      source: "rdmsr 0x100000000", line: 1, column: 7,
      message: "MSR numbers are 32 bits; '0x100000000' is larger"),
    Case(
      source: "host frob", line: 1, column: 6,
      message: "unknown host operation 'frob' (use `host wrmsr`, `host rdmsr`, `host sregs` or `host cpuid`)"),
    Case(
      source: "kernel write cr3, 0", line: 1, column: 14,
      message: "the kernel's native_write_crX() exists for cr0 and cr4 only, not cr3"),
    Case(
      source: "kernel mov cr4, 0", line: 1, column: 8, message: "expected `write` after `kernel`, found 'mov'"
    ),
    Case(
      source: "set cr4.SMAPP", line: 1, column: 5,
      message: "unknown bit 'cr4.SMAPP'; did you mean 'CR4.SMAP'?"),
    Case(
      source: "smram cr2, 0", line: 1, column: 7, message: "unknown SMRAM field 'cr2'; did you mean 'cr0'?"),
    Case(
      source: "vmcs12 guest_cr4, 0", line: 1, column: 8,
      message: "unknown vmcs12 field 'guest_cr4'; did you mean 'host_cr4'?"),
    Case(
      source: "reboot keep", line: 1, column: 8,
      message: "unknown `reboot` option 'keep' (the only option is `keep-pins`)"),
    Case(
      source: "migrate drop-pin", line: 1, column: 9,
      message: "unknown `migrate` option 'drop-pin'; did you mean 'drop-pins'?"),
    Case(
      source: "option kvmpin off", line: 1, column: 8,
      message: "unknown option 'kvmpin'; did you mean 'kvm-pin'?"),
    Case(
      source: "option kvm-pin maybe", line: 1, column: 16, message: "expected `on` or `off`, found 'maybe'"),
    Case(source: "smi now", line: 1, column: 5, message: "unexpected 'now' after the statement"),
    Case(source: "expect gpp", line: 1, column: 8, message: "unknown expectation 'gpp'; did you mean 'gp'?"),
    Case(source: "expect gp twice", line: 1, column: 11, message: "unexpected 'twice' after the outcome"),
    Case(source: "expect cr4 = 0", line: 1, column: 12, message: "unexpected '=': compare with '=='"),
    Case(source: "expect cr4", line: 1, column: 11, message: "expected '==' or '!=' after 'cr4'"),
    Case(
      source: "expect[hekki] ok", line: 1, column: 8,
      message: "unknown mechanism 'hekki'; did you mean 'heki'?"),
    Case(
      source: "expect[heki ok", line: 1, column: 13,
      message: "expected ',' or ']' in the mechanism list, found 'ok'"),
    Case(
      source: "option mechanism kvm2020", line: 1, column: 18,
      message: "unknown mechanism 'kvm2020'; did you mean 'kvm-2020'?"),
    Case(
      source: "hypercall lock_cr cr3, 1", line: 1, column: 19,
      message: "expected cr0, cr4 or a CR number after `lock_cr`, found 'cr3'"),
    Case(
      source: "hypercall lock_crr cr4, 1", line: 1, column: 11,
      message: "unknown hypercall 'lock_crr'; did you mean 'lock_cr'?"),
    Case(
      source: "vtl1 policy dropp", line: 1, column: 13,
      message: "unknown VTL1 policy 'dropp'; did you mean 'drop'?"),
    Case(source: "exec kernel", line: 1, column: 6, message: "expected `user` after `exec`, found 'kernel'"),
    Case(source: "host sregs cr4 0", line: 1, column: 16, message: "expected '=' after cr4, found '0'"),
    Case(source: "host sregs cr4=1 cr4=2", line: 1, column: 18, message: "cr4 is given twice"),
    Case(
      source: "host sregs cr2=0", line: 1, column: 12, message: "unknown register 'cr2'; did you mean 'cr0'?"),
    Case(
      source: "expect rule pin.cr4.hi", line: 1, column: 13,
      message: "unknown rule 'pin.cr4.hi'; did you mean 'pin.cr4.high'?"),
    Case(
      source: "expect note warned", line: 1, column: 13,
      message: "expected a quoted text after `note`, found 'warned'"),
    Case(
      source: "expect note \"open", line: 1, column: 13, message: "unterminated string: add a closing '\"'"),
    Case(
      source: "vcpu 1", line: 1, column: 6,
      message: "there is no vCPU 1: this VM has 1 (0); size it with `vcpus N` as the first statement"),
    Case(
      source: "vcpus 2\nvcpu 2", line: 2, column: 6,
      message: "there is no vCPU 2: this VM has 2 (0-1); size it with `vcpus N` as the first statement"),
    Case(source: "vcpus 9", line: 1, column: 7, message: "a VM has 1 to 8 vCPUs, not 9"),
    Case(source: "vcpu x", line: 1, column: 6, message: "expected a vCPU number after `vcpu`, found 'x'"),
    Case(
      source: "boot\nvcpus 2", line: 2, column: 1,
      message: "`vcpus N` must be the first statement: it creates a fresh VM with N booted vCPUs"),
    Case(
      source: "mov cr4, " + String(repeating: "(", count: 40) + "1", line: 1, column: 42,
      message: "expression nested too deeply: at most 32 parentheses"),
    Case(
      source: "mov cr4, 1" + String(repeating: "|1", count: 300), line: 1, column: 266,
      message: "expression too long: at most 256 terms and operators"),
    Case(
      source: "mov cr4, " + String(repeating: "1", count: 5000), line: 1, column: 4097,
      message: "line too long: a line may have at most 4096 characters"),
  ]

  @Test("each error path", arguments: cases)
  func error(_ testCase: Case) {
    let result = parseScript(testCase.source)
    #expect(throws: ScriptError(line: testCase.line, column: testCase.column, message: testCase.message)) {
      try result.get()
    }
  }

  @Test("a 10 MB line is an error, quickly")
  func hugeLine() {
    let source = "boot\n" + String(repeating: "x", count: 10 << 20)
    guard case .failure(let error) = parseScript(source) else {
      Issue.record("expected an error")
      return
    }
    #expect(error.line == 2 && error.column == 4097)
  }

  @Test("rendered as PATH:LINE:COL with the line and a caret")
  func rendering() {
    let error = ScriptError(line: 3, column: 10, message: "oops")
    #expect(
      error.rendered(path: "a.crpin", sourceLine: "\tmov cr4, zz")
        == "a.crpin:3:10: error: oops\n\tmov cr4, zz\n\t        ^")
  }

  @Test("blank lines, comments and case-insensitive keywords parse")
  func accepted() throws {
    let statements = try parseScript(
      "\n  # comment\nMOV CR4, Cr4 & ~smep # trailing\n#> Narration\nHost WRMSR msr_kvm_cr4_pinned_high, 0"
    ).get()
    #expect(statements.map(\.line) == [3, 4, 5])
    #expect(
      statements.map(\.text) == [
        "MOV CR4, Cr4 & ~smep", "Narration", "Host WRMSR msr_kvm_cr4_pinned_high, 0",
      ])
    #expect(statements[1].command == .narration("Narration"))
  }
}
