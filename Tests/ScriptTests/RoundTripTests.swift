import Engine
import Script
import Testing

@Suite("the printer's statement (StatementText) parses back to the same action")
struct RoundTripTests {
  static let msrs: [UInt32] = [
    MSRNumber.efer, MSRNumber.cr0PinAllowed, MSRNumber.cr4PinAllowed, MSRNumber.cr0PinnedLow,
    MSRNumber.cr0PinnedHigh, MSRNumber.cr4PinnedLow, MSRNumber.cr4PinnedHigh, 0x4b56_4d06,
    0x4b56_4d07, 0x10, 0, 0xffff_ffff,
  ]

  static let values: [UInt64] = [0, 1, 0x36_0ef0, 0x8005_0033, .max]

  static let actions: [Action] = {
    var actions: [Action] = [
      .smi, .rsm, .vmentry, .vmexit, .reset, .boot, .kexec,
      .reboot(keepPins: false), .reboot(keepPins: true),
      .migrate(dropPins: false), .migrate(dropPins: true),
      .execUser, .accessUser, .stac, .clac,
    ]
    actions += Mechanism.allCases.map { .mechanism($0) }
    actions += VTL1Policy.allCases.map { .vtl1Policy($0) }
    for cr: UInt64 in [0, 4, 3, .max] {
      for flags: UInt64 in [0, 1, .max] {
        actions += values.map { .hypercallLockCR(cr: cr, bits: $0, flags: flags) }
      }
    }
    for subset in 0..<16 {
      func pick(_ bit: Int, _ value: UInt64) -> UInt64? { subset & (1 << bit) != 0 ? value : nil }
      actions.append(
        .hostSregs(cr0: pick(0, 0x8005_0033), cr3: pick(1, 0), cr4: pick(2, .max), efer: pick(3, 0xd01)))
    }
    for value in values {
      actions += ControlRegister.allCases.map { .mov($0, value) }
      actions += PinnableRegister.allCases.map { .kernelWrite($0, value) }
      actions += RegisterName.allCases.map { .smram($0, value) }
      actions += VMCS12Field.allCases.map { .vmcs12($0, value) }
      actions += PinnableRegister.allCases.map { .hostCR($0, value) }
      actions += PinnableRegister.allCases.map { .vtl1Intercept($0, value) }
    }
    for msr in msrs {
      actions += [.rdmsr(msr), .hostRdmsr(msr), .wrmsr(msr, 0x30_0800), .hostWrmsr(msr, .max)]
    }
    for name in VMOptionName.allCases {
      actions += [.option(name, true), .option(name, false)]
    }
    return actions
  }()

  @Test("statement → parse → same action", arguments: actions)
  func roundTrip(_ action: Action) throws {
    var session = Session(vm: VirtualMachine(resetWith: 1))
    let record = try session.run(line: StatementText.of(action, under: .kvm2020), lineNumber: 1)
    #expect(record?.action == action)
  }

  /// The MSR actions again, as a recorder under kvm-rfc2 writes them (`Session.statement(for:)`).
  static let msrActions: [Action] = msrs.flatMap { msr -> [Action] in
    [.rdmsr(msr), .hostRdmsr(msr), .wrmsr(msr, 0x10_0000), .hostWrmsr(msr, 0)]
  }

  @Test("under kvm-rfc2, Session.statement(for:) parses back to the same MSR", arguments: msrActions)
  func roundTripRFC2(_ action: Action) throws {
    var session = Session()
    _ = try session.run(line: "option mechanism kvm-rfc2", lineNumber: 1)
    let text = session.statement(for: action)
    let record = try session.run(line: text, lineNumber: 2)
    #expect(record?.action == action, "\(text)")
  }

  @Test("every Action case is covered")
  func everyCaseCovered() {
    let ops = Set(
      Self.actions.map {
        StatementText.of($0, under: .kvm2020).split(separator: " ").prefix(2).joined(separator: " ")
      })
    for op in [
      "mov cr0,", "kernel write", "wrmsr EFER,", "rdmsr EFER", "host wrmsr", "host rdmsr", "smi", "rsm",
      "smram cr0,", "vmcs12 host_cr0,", "vmentry", "vmexit", "reset", "reboot", "reboot keep-pins",
      "migrate", "migrate drop-pins", "boot", "kexec", "option kvm-pin", "option mechanism",
      "option host-cr0", "option host-cr4", "hypercall lock_cr", "vtl1 intercept", "vtl1 policy",
      "exec user", "access user", "stac", "clac", "host sregs",
    ] {
      #expect(ops.contains(op), "missing \(op)")
    }
  }
}
