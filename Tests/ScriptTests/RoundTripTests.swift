import Engine
import Script
import Testing

@Suite("Action.statement parses back to the same action")
struct RoundTripTests {
  static let msrs: [UInt32] = [
    MSRNumber.efer, MSRNumber.cr0PinAllowed, MSRNumber.cr4PinAllowed, MSRNumber.cr0PinnedLow,
    MSRNumber.cr0PinnedHigh, MSRNumber.cr4PinnedLow, MSRNumber.cr4PinnedHigh, 0x10, 0,
    0xffff_ffff,
  ]

  static let values: [UInt64] = [0, 1, 0x36_0ef0, 0x8005_0033, .max]

  static let actions: [Action] = {
    var actions: [Action] = [
      .smi, .rsm, .vmentry, .vmexit, .reset, .boot, .kexec,
      .reboot(keepPins: false), .reboot(keepPins: true),
      .migrate(dropPins: false), .migrate(dropPins: true),
    ]
    for value in values {
      actions += ControlRegister.allCases.map { .mov($0, value) }
      actions += PinnableRegister.allCases.map { .kernelWrite($0, value) }
      actions += RegisterName.allCases.map { .smram($0, value) }
      actions += VMCS12Field.allCases.map { .vmcs12($0, value) }
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
    let record = try session.run(line: action.statement, lineNumber: 1)
    #expect(record?.action == action)
  }

  @Test("every Action case is covered")
  func everyCaseCovered() {
    let ops = Set(Self.actions.map { $0.statement.split(separator: " ").prefix(2).joined(separator: " ") })
    for op in [
      "mov cr0,", "kernel write", "wrmsr EFER,", "rdmsr EFER", "host wrmsr", "host rdmsr", "smi", "rsm",
      "smram cr0,", "vmcs12 host_cr0,", "vmentry", "vmexit", "reset", "reboot", "reboot keep-pins",
      "migrate", "migrate drop-pins", "boot", "kexec", "option kvm-pin",
    ] {
      #expect(ops.contains(op), "missing \(op)")
    }
  }
}
