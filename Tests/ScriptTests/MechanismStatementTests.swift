import Engine
import Script
import Testing

/// The statements of the rival mechanisms (issue 7) and the exploit lesson (issue 8).
@Suite("mechanism statements")
struct MechanismStatementTests {
  /// Runs `source` and returns its records with an action or an expectation.
  private func records(_ source: String) throws -> [StepRecord] {
    var session = Session()
    var records: [StepRecord] = []
    for statement in try parseScript(source).get() {
      if let record = try session.run(statement) { records.append(record) }
    }
    return records
  }

  @Test("each new statement parses to its action")
  func parses() throws {
    let cases: [(String, Action)] = [
      ("option mechanism kvm-rfc2", .mechanism(.kvmRFC2)),
      ("option host-cr4 cr4 & ~SMAP", .hostCR(.cr4, 0x16_0ef0)),
      ("option host-cr0 0x80050033", .hostCR(.cr0, 0x8005_0033)),
      ("option init-keeps-pins on", .option(.initKeepsPins, true)),
      ("option wp-guest-owned off", .option(.wpGuestOwned, false)),
      ("hypercall lock_cr cr4, SMEP | SMAP", .hypercallLockCR(cr: 4, bits: 0x30_0000, flags: 0)),
      ("hypercall lock_cr cr0, 0, 1", .hypercallLockCR(cr: 0, bits: 0, flags: 1)),
      ("HYPERCALL LOCK_CR 3, WP", .hypercallLockCR(cr: 3, bits: 0x1_0000, flags: 0)),
      ("vtl1 intercept cr4, 0xffffffff", .vtl1Intercept(.cr4, 0xffff_ffff)),
      ("vtl1 policy gp", .vtl1Policy(.gp)),
      ("exec user", .execUser),
      ("access user", .accessUser),
      ("stac", .stac),
      ("clac", .clac),
      ("host sregs", .hostSregs(cr0: nil, cr3: nil, cr4: nil, efer: nil)),
      (
        "host sregs efer=efer cr4=cr4 & ~SMEP",
        .hostSregs(cr0: nil, cr3: nil, cr4: 0x26_0ef0, efer: 0xd01)
      ),
      (
        "host sregs cr0=0x80050033 cr3=0 cr4=0x360ef0 efer=0xd01",
        .hostSregs(cr0: 0x8005_0033, cr3: 0, cr4: 0x36_0ef0, efer: 0xd01)
      ),
    ]
    for (text, action) in cases {
      var session = Session()
      #expect(try session.run(line: text, lineNumber: 1)?.action == action, "\(text)")
    }
  }

  @Test("MSR names resolve under the mechanism in force when the statement runs")
  func msrNamesFollowTheMechanism() throws {
    let found = try records(
      """
      rdmsr CR4_PIN_ALLOWED
      rdmsr CR4_PINNED
      option mechanism kvm-rfc2
      rdmsr CR4_PIN_ALLOWED
      rdmsr MSR_KVM_CR4_PINNED
      rdmsr CR0_PIN_ALLOWED
      rdmsr 0x4b564d09
      rdmsr CR4_PINNED_HIGH
      """
    ).compactMap(\.action)
    #expect(
      found == [
        .rdmsr(0x4b56_4d09), .rdmsr(0x4b56_4d09), .mechanism(.kvmRFC2), .rdmsr(0x4b56_4d07),
        .rdmsr(0x4b56_4d09), .rdmsr(0x4b56_4d06), .rdmsr(0x4b56_4d09), .rdmsr(0x4b56_4d0d),
      ])
  }

  @Test("expect[M] is checked only under M; skipped lines hold and are not counted")
  func qualifiedExpect() {
    let source = """
      clear cr4.SMEP
      expect[kvm-2020] gp
      expect[heki, vtl1] ok
      expect[heki] rule heki.cr4.locked
      expect pf
      """
    let report = runScript(source, format: .text) { _ in }
    #expect(report.expectationsChecked == 2)
    #expect(report.failures.map(\.line) == [5])
    var text: [String] = []
    _ = runScript(source, format: .text) { text.append($0) }
    #expect(
      text.contains {
        $0.contains("expect[heki, vtl1] ok") && $0.contains("skipped  not checked under kvm-2020")
      })
  }

  @Test("expect dropped and expect pf")
  func newOutcomeWords() {
    let source = """
      option mechanism vtl1
      boot
      clear cr4.SMEP
      expect dropped
      exec user
      expect pf
      expect rule smep.exec-user
      """
    let report = runScript(source, format: .text) { _ in }
    #expect(report.failures == [])
    #expect(report.expectationsChecked == 3)
  }

  @Test("pins.X is the pins in force under the mechanism (effectivePins)")
  func effectivePins() {
    let source = """
      option mechanism heki
      boot
      expect pins.cr4_high == SMEP | SMAP | UMIP
      option mechanism kvm-rfc2
      wrmsr CR4_PINNED, SMEP
      expect pins.cr4_high == SMEP
      expect pins.cr4_low == SMAP | UMIP
      """
    let report = runScript(source, format: .text) { _ in }
    #expect(report.failures == [])
  }

  @Test("text trace: hypercall RAX as -EINVAL/-ENOSYS, layers of a kernel write")
  func textTrace() {
    var text: [String] = []
    _ = runScript(
      "hypercall lock_cr cr4, SMEP\noption mechanism heki\nhypercall lock_cr 2, SMEP\nkernel write cr4, 0x260ef0",
      format: .text
    ) { text.append($0) }
    let all = text.joined(separator: "\n")
    #expect(all.contains("RAX -ENOSYS (0xfffffffffffffc18)"))
    #expect(all.contains("RAX -EINVAL (0xffffffffffffffea)"))
    #expect(all.contains("layer: native: checked: no pinned bit missing") || all.contains("layer: native:"))
  }

  @Test("jsonl: eflags_ac follows stac/clac; kernel writes carry layers")
  func jsonl() {
    var lines: [String] = []
    _ = runScript("stac\nkernel write cr4, cr4 & ~SMEP\nclac", format: .jsonl) { lines.append($0) }
    #expect(lines.count == 3)
    #expect(lines[0].contains(#""eflags_ac":true"#))
    #expect(!lines[0].contains(#""layers""#))
    #expect(lines[1].contains(##""layers":[{"name":"kvm-2020","verdict":"#GP (pin.cr4.high)"}]"##))
    #expect(lines[2].contains(#""eflags_ac":false"#))
  }

  @Test("the native layer's restore shows in both traces")
  func nativeLayer() {
    let source = "option mechanism native\nboot\nkernel write cr4, cr4 & ~SMEP"
    var text: [String] = []
    _ = runScript(source, format: .text) { text.append($0) }
    #expect(
      text.joined().contains(
        "layer: native: restored 0x100000 and warned `pinned CR4 bits changed: 0x100000!?`"))
    var json: [String] = []
    _ = runScript(source, format: .jsonl) { json.append($0) }
    #expect(json.last?.contains(#""layers":[{"name":"native","verdict":"restored 0x100000"#) == true)
  }
}
