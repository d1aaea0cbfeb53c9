import Engine

/// Every statement of the script language, in the order the language help lists them. The
/// parser's keywords and their dispatch, tab completion's and "did you mean" keywords, the
/// printer (`StatementText`), `crpin language` (and `run --help`'s pointer to it, the TUI's
/// `:help`) and the README's statement table all come from this file: a new statement is a
/// case here, its `row`, its `Action` in `init(_:)` and `write(_:under:to:)`; the compiler
/// flags each switch, and `StatementTableTests` the rest (help, README, round trips, the fast
/// parser).
enum StatementKind: Int, CaseIterable, Sendable {
  case vcpus, vcpu, mov, set, clear, wrmsr, rdmsr, hostWrmsr, hostRdmsr, smi, rsm, smram, vmcs12
  case vmentry, vmexit, reset, reboot, migrate, boot, kexec, kernelWrite, execUser, accessUser
  case stac, clac, hostSregs, hostCPUID, option, hypercall, vtl1Intercept, vtl1Policy, expect

  /// The row of the table: its words, who acts, how it parses, its help.
  var row: StatementRow { Self.rows[rawValue] }

  /// Every row, built once.
  private static let rows = allCases.map(\.definition)

  /// The row, built.
  private var definition: StatementRow {
    typealias Row = StatementRow
    switch self {
    case .vcpus:
      return Row(
        ["vcpus"], "N", actor: nil, help: .line("first line only: N booted vCPUs (1-8)"),
        readme: "a fresh VM with N booted vCPUs (first line only)", examples: []
      ) { cursor throws(ScriptError) in
        let count = try StatementParser.vcpuNumber(&cursor, after: "vcpus")
        try cursor.requireEnd(after: "`vcpus N`")
        return .vcpus(count.value)
      }
    case .vcpu:
      return Row(["vcpu"], "N", actor: nil, help: .line("select vCPU N (0-based)"), examples: []) {
        cursor throws(ScriptError) in
        let index = try StatementParser.vcpuNumber(&cursor, after: "vcpu")
        try cursor.requireEnd(after: "`vcpu N`")
        return .selectVCPU(index.value)
      }
    case .mov:
      return Row(
        ["mov"], "cr0|cr3|cr4, EXPR", actor: .guest, help: .line("guest MOV to a control register"),
        readme: "a guest MOV (a raw gadget: no kernel check after it)",
        examples: [.mov(.cr4, 0x26_0ef0), .mov(.cr0, 0x8005_0033), .mov(.cr3, 0xb41_c000)]
      ) { cursor throws(ScriptError) in
        let register = try StatementParser.controlRegister(&cursor)
        try cursor.requireSymbol(",", after: "the register")
        return .action(.mov(register, try ExpressionParser.parse(&cursor)))
      }
    case .set, .clear:
      let on = self == .set
      return Row(
        [on ? "set" : "clear"], on ? "cr4.SMEP" : "cr0.WP", actor: .guest,
        help: on ? .line("guest MOV of the value, one bit changed") : .sharesLine,
        readme: "a guest MOV of the value with one bit changed", examples: []
      ) { cursor throws(ScriptError) in
        .action(try StatementParser.setBit(on: on, &cursor))
      }
    case .wrmsr:
      return Row(
        ["wrmsr"], "MSR, EXPR", actor: .guest, help: .line("guest WRMSR / RDMSR"),
        readme: "the guest's WRMSR / RDMSR",
        examples: [.wrmsr(MSRNumber.cr4PinnedHigh, 0x30_0820), .wrmsr(0x4b56_4d06, 0x1), .wrmsr(0x1234, 0)]
      ) { cursor throws(ScriptError) in
        let msr = try MSRParser.parse(&cursor)
        try cursor.requireSymbol(",", after: "the MSR")
        return .action(.wrmsr(msr, try ExpressionParser.parse(&cursor)))
      }
    case .rdmsr:
      return Row(
        ["rdmsr"], "MSR", actor: .guest, help: .sharesLine,
        examples: [.rdmsr(MSRNumber.efer), .rdmsr(0x4b56_4d09)]
      ) { cursor throws(ScriptError) in .action(.rdmsr(try MSRParser.parse(&cursor))) }
    case .hostWrmsr:
      return Row(
        ["host", "wrmsr"], "MSR, EXPR", actor: .host, help: .line("the VMM's KVM_SET_MSRS / KVM_GET_MSRS"),
        examples: [.hostWrmsr(MSRNumber.cr4PinnedHigh, 0x20_0800), .hostWrmsr(0x4b56_4d08, 0x1_0000)]
      ) { cursor throws(ScriptError) in
        let msr = try MSRParser.parse(&cursor)
        try cursor.requireSymbol(",", after: "the MSR")
        return .action(.hostWrmsr(msr, try ExpressionParser.parse(&cursor)))
      }
    case .hostRdmsr:
      return Row(
        ["host", "rdmsr"], "MSR", actor: .host, help: .sharesLine,
        examples: [.hostRdmsr(MSRNumber.cr0PinnedLow), .hostRdmsr(0x4b56_4d07)]
      ) { cursor throws(ScriptError) in .action(.hostRdmsr(try MSRParser.parse(&cursor))) }
    case .smi:
      return Row(["smi"], actor: .smm, help: .line("enter / leave SMM"), fixed: .smi)
    case .rsm:
      return Row(["rsm"], actor: .guest, help: .sharesLine, fixed: .rsm)
    case .smram:
      return Row(
        ["smram"], "cr0|cr3|cr4|efer, EXPR", actor: .smm,
        help: .line("edit the SMRAM state-save image (in SMM)"),
        examples: [.smram(.cr4, 0x26_0ef0), .smram(.efer, 0xd01)]
      ) { cursor throws(ScriptError) in .action(try StatementParser.smram(&cursor)) }
    case .vmcs12:
      return Row(
        ["vmcs12"], "host_cr0|host_cr4, EXPR", actor: .l1, help: .line("L1 sets a vmcs12 host field"),
        examples: [.vmcs12(.hostCR4, 0x26_0ef0)]
      ) { cursor throws(ScriptError) in .action(try StatementParser.vmcs12(&cursor)) }
    case .vmentry:
      return Row(["vmentry"], actor: .l1, help: .line("L1 enters L2 / L2 exits to L1"), fixed: .vmentry)
    case .vmexit:
      return Row(["vmexit"], actor: .l2, help: .sharesLine, fixed: .vmexit)
    case .reset:
      return Row(
        ["reset"], actor: .host, help: .line("INIT the selected vCPU (clears its pins)"), fixed: .reset)
    case .reboot:
      return Row(
        ["reboot"], "[keep-pins]", actor: .host, help: .line("reset every vCPU (keep-pins: stale pins)"),
        examples: [.reboot(keepPins: false), .reboot(keepPins: true)]
      ) { cursor throws(ScriptError) in
        .action(.fixed(.reboot(keepPins: try StatementParser.flag("keep-pins", after: "reboot", &cursor))))
      }
    case .migrate:
      return Row(
        ["migrate"], "[drop-pins]", actor: .host, help: .line("move the VM (drop-pins: pin MSRs lost)"),
        examples: [.migrate(dropPins: false), .migrate(dropPins: true)]
      ) { cursor throws(ScriptError) in
        .action(.fixed(.migrate(dropPins: try StatementParser.flag("drop-pins", after: "migrate", &cursor))))
      }
    case .boot:
      return Row(
        ["boot"], actor: .kernel, help: .line("the Linux boot path / kexec a new kernel"), fixed: .boot)
    case .kexec:
      return Row(["kexec"], actor: .kernel, help: .sharesLine, fixed: .kexec)
    case .kernelWrite:
      return Row(
        ["kernel", "write"], "cr0|cr4, EXPR", actor: .kernel,
        help: .line("the guest kernel's native_write_crX()"),
        readme: "the kernel's `native_write_crX()`: the MOV, then native pinning's check",
        examples: [.kernelWrite(.cr4, 0x26_0ef0), .kernelWrite(.cr0, 0x8005_0033)]
      ) { cursor throws(ScriptError) in
        let register = try StatementParser.pinnableRegister(&cursor)
        try cursor.requireSymbol(",", after: "the register")
        return .action(.kernelWrite(register, try ExpressionParser.parse(&cursor)))
      }
    case .execUser:
      return Row(
        ["exec", "user"], actor: .kernel, help: .line("ret2usr / a user read (#PF: SMEP / SMAP)"),
        readme: "ret2usr (#PF under SMEP) · a user-pointer read (#PF under SMAP unless EFLAGS.AC)",
        fixed: .execUser)
    case .accessUser:
      return Row(["access", "user"], actor: .kernel, help: .sharesLine, fixed: .accessUser)
    case .stac:
      return Row(["stac"], actor: .kernel, help: .line("set / clear EFLAGS.AC"), fixed: .stac)
    case .clac:
      return Row(["clac"], actor: .kernel, help: .sharesLine, fixed: .clac)
    case .hostSregs:
      return Row(
        ["host", "sregs"], "cr0=EXPR cr3=EXPR cr4=EXPR efer=EXPR", actor: .host,
        help: .line("the VMM's KVM_SET_SREGS (any subset)"),
        readme: "the VMM's KVM_SET_SREGS, any subset: no guest checks, no pins",
        examples: [
          .hostSregs(cr0: nil, cr3: 0xb41_c000, cr4: 0x10_06f0, efer: nil),
          .hostSregs(cr0: 0x8005_0033, cr3: 0x1000, cr4: 0xef0, efer: 0xd01),
          .hostSregs(cr0: nil, cr3: nil, cr4: nil, efer: nil),
        ]
      ) { cursor throws(ScriptError) in .action(try StatementParser.hostSregs(&cursor)) }
    case .hostCPUID:
      return Row(
        ["host", "cpuid"], "+FEATURE|-FEATURE", actor: .host,
        help: .line("KVM_SET_CPUID2: add/remove a feature"),
        readme: "the VMM's KVM_SET_CPUID2 adds (`+`) or removes (`-`) a CPU feature ("
          + CPUFeature.allCases.map(\.rawValue).joined(separator: ", ")
          + "): KVM's checks follow at once, the guest kernel at its next boot",
        examples: [.hostCPUID(.cet, present: true), .hostCPUID(.fsgsbase, present: false)]
      ) { cursor throws(ScriptError) in .action(.fixed(try StatementParser.hostCPUID(&cursor))) }
    case .option:
      return Row(
        ["option"], actor: .host,
        help: .lines([
          HelpLine("option kvm-pin|cpuid-pin|native-pin|init-keeps-pins on|off", "VM options"),
          HelpLine("option enforce-pv-cpuid|allowed-writable|wp-guest-owned on|off", "the review's policies"),
          HelpLine(
            "option mechanism kvm-2020|kvm-rfc2|heki|vtl1|native|none", "switch design (clears every pin)",
            readme: "switch the pinning design (clears every pin)"),
          HelpLine(
            "option host-cr0 EXPR / option host-cr4 EXPR", "the host's CR0/CR4 (heki's locks need them)",
            readme: "the host's CR0/CR4 (Heki gates its locks on them)"),
          HelpLine(
            "option kernel VERSION", "reboot into Linux VERSION (5.3+, e.g. 5.9)",
            readme: "reboot the guest into Linux VERSION (5.3 or later; default 5.8): what `boot` sets, "
              + "native pinning's mask, values and warning"),
          HelpLine(
            "option kvm VERSION", "the host runs KVM VERSION (5.8+; a what-if)",
            readme: "the host runs KVM VERSION from now on (5.8 or later; default 5.8; a what-if): "
              + "known CR4 bits, guest-owned bits, CET's checks, RSM failure"),
        ]),
        examples: [
          .option(.kvmPin, false), .option(.wpGuestOwned, true), .mechanism(.kvmRFC2), .mechanism(.none),
          .hostCR(.cr4, 0x36_0ef0), .hostCR(.cr0, 0x8005_0033), .kernelVersion(LinuxVersion(5, 9)),
          .kvmVersion(LinuxVersion(6, 18)),
        ]
      ) { cursor throws(ScriptError) in .action(try StatementParser.option(&cursor)) }
    case .hypercall:
      return Row(
        ["hypercall"], "lock_cr cr0|cr4, EXPR [, FLAGS]", actor: .guest,
        help: .line("heki's KVM_HC_LOCK_CR_UPDATE; value = RAX"),
        readme: "Heki's `KVM_HC_LOCK_CR_UPDATE`; `value` is RAX (the text trace shows `-EINVAL`/`-ENOSYS`)",
        examples: [
          .hypercallLockCR(cr: 4, bits: 0x30_0000, flags: 0),
          .hypercallLockCR(cr: 0, bits: 0x1_0000, flags: 1),
          .hypercallLockCR(cr: 3, bits: 0x1, flags: 0),
        ]
      ) { cursor throws(ScriptError) in .action(try StatementParser.hypercall(&cursor)) }
    case .vtl1Intercept:
      return Row(
        ["vtl1", "intercept"], "cr0|cr4, MASK", actor: .vtl1, help: .line("VTL1's intercepts and policy"),
        readme: "VTL1's intercept mask on the selected vCPU (0 = off) · its policy (`gp`, `allow`: what-ifs)",
        examples: [.vtl1Intercept(.cr4, 0xffff_ffff), .vtl1Intercept(.cr0, 0)]
      ) { cursor throws(ScriptError) in
        let register = try StatementParser.pinnableRegister(&cursor, reason: .vtl1Intercept)
        try cursor.requireSymbol(",", after: "the register")
        return .action(.vtl1Intercept(register, try ExpressionParser.parse(&cursor)))
      }
    case .vtl1Policy:
      return Row(
        ["vtl1", "policy"], "drop|gp|allow", actor: .vtl1, help: .sharesLine,
        examples: VTL1Policy.allCases.map { .vtl1Policy($0) }
      ) { cursor throws(ScriptError) in .action(.fixed(.vtl1Policy(try StatementParser.vtl1Policy(&cursor))))
      }
    case .expect:
      return Row(
        ["expect"], actor: nil,
        help: .lines([
          HelpLine("expect ok|gp|ud|pf|exit|dropped|rejected|stopped", "the previous action's outcome"),
          HelpLine(
            "expect[heki] ok, expect[kvm-2020, kvm-rfc2] …", "checked only under those mechanisms",
            readme: "checked only while one of those mechanisms is in force (else `skipped`)"),
          HelpLine("expect rule ID / expect note \"TEXT\"", "a rule it fired / a note it gave"),
          HelpLine(
            """
            expect cr4 == EXPR, cr4.SMEP == 1, pins.cr4_high == EXPR, value == EXPR,
                   smram.cr4 == EXPR, smm == 1, l2 == 0, stopped == 0   (also !=)
            """, "", readme: "the state now"),
        ]),
        examples: []
      ) { cursor throws(ScriptError) in
        let only = try StatementParser.mechanismQualifier(&cursor)
        return .expect(try ExpectParser.parse(&cursor), only: only)
      }
    }
  }

  /// The statement that writes `action`.
  init(_ action: Action) {
    switch action {
    case .mov: self = .mov
    case .kernelWrite: self = .kernelWrite
    case .wrmsr: self = .wrmsr
    case .rdmsr: self = .rdmsr
    case .hostWrmsr: self = .hostWrmsr
    case .hostRdmsr: self = .hostRdmsr
    case .smi: self = .smi
    case .rsm: self = .rsm
    case .smram: self = .smram
    case .vmcs12: self = .vmcs12
    case .vmentry: self = .vmentry
    case .vmexit: self = .vmexit
    case .reset: self = .reset
    case .reboot: self = .reboot
    case .migrate: self = .migrate
    case .boot: self = .boot
    case .kexec: self = .kexec
    case .option, .mechanism, .hostCR, .kernelVersion, .kvmVersion: self = .option
    case .hostCPUID: self = .hostCPUID
    case .hypercallLockCR: self = .hypercall
    case .vtl1Intercept: self = .vtl1Intercept
    case .vtl1Policy: self = .vtl1Policy
    case .execUser: self = .execUser
    case .accessUser: self = .accessUser
    case .stac: self = .stac
    case .clac: self = .clac
    case .hostSregs: self = .hostSregs
    }
  }

  /// `action` as its statement, appended to `out` (no string is built for the common actions);
  /// MSRs are named as `mechanism` names them, so the text parses back to the same action
  /// while `mechanism` is in force.
  static func write(_ action: Action, under mechanism: Mechanism, to out: inout TraceBuffer) {
    func msr(_ number: UInt32) { out.append(MSRReference.displayName(number, under: mechanism)) }
    func register(_ name: String, _ value: UInt64) {
      out.append(name)
      out.append(", ")
      out.append(hex: value)
    }
    switch action {
    case .mov(let control, let value):
      out.append("mov ")
      register(control.rawValue, value)
    case .kernelWrite(let pinnable, let value):
      out.append("kernel write ")
      register(pinnable.rawValue, value)
    case .wrmsr(let number, let value):
      out.append("wrmsr ")
      msr(number)
      out.append(", ")
      out.append(hex: value)
    case .hostWrmsr(let number, let value):
      out.append("host wrmsr ")
      msr(number)
      out.append(", ")
      out.append(hex: value)
    case .rdmsr(let number):
      out.append("rdmsr ")
      msr(number)
    case .hostRdmsr(let number):
      out.append("host rdmsr ")
      msr(number)
    case .smi: out.append("smi")
    case .rsm: out.append("rsm")
    case .smram(let name, let value):
      out.append("smram ")
      register(name.rawValue, value)
    case .vmcs12(let field, let value):
      out.append("vmcs12 ")
      register(field.rawValue, value)
    case .vmentry: out.append("vmentry")
    case .vmexit: out.append("vmexit")
    case .reset: out.append("reset")
    case .reboot(let keepPins): out.append(keepPins ? "reboot keep-pins" : "reboot")
    case .migrate(let dropPins): out.append(dropPins ? "migrate drop-pins" : "migrate")
    case .boot: out.append("boot")
    case .kexec: out.append("kexec")
    case .option(let name, let on):
      out.append("option ")
      out.append(name.rawValue)
      out.append(on ? " on" : " off")
    case .mechanism(let mechanism):
      out.append("option mechanism ")
      out.append(mechanism.rawValue)
    case .hostCR(let pinnable, let value):
      out.append("option host-")
      out.append(pinnable.rawValue)
      out.append(" ")
      out.append(hex: value)
    case .kernelVersion(let version):
      out.append("option kernel ")
      out.append(version.description)
    case .kvmVersion(let version):
      out.append("option kvm ")
      out.append(version.description)
    case .hostCPUID(let feature, let present):
      out.append(present ? "host cpuid +" : "host cpuid -")
      out.append(feature.rawValue)
    case .hypercallLockCR(let cr, let bits, let flags):
      out.append("hypercall lock_cr ")
      switch cr {
      case 0: out.append("cr0")
      case 4: out.append("cr4")
      default: out.append(String(cr))
      }
      out.append(", ")
      out.append(hex: bits)
      if flags != 0 {
        out.append(", ")
        out.append(hex: flags)
      }
    case .vtl1Intercept(let pinnable, let mask):
      out.append("vtl1 intercept ")
      register(pinnable.rawValue, mask)
    case .vtl1Policy(let policy):
      out.append("vtl1 policy ")
      out.append(policy.rawValue)
    case .execUser: out.append("exec user")
    case .accessUser: out.append("access user")
    case .stac: out.append("stac")
    case .clac: out.append("clac")
    case .hostSregs(let cr0, let cr3, let cr4, let efer):
      out.append("host sregs")
      for (name, value) in [("cr0", cr0), ("cr3", cr3), ("cr4", cr4), ("efer", efer)] {
        guard let value else { continue }
        out.append(" ")
        out.append(name)
        out.append("=")
        out.append(hex: value)
      }
    }
  }
}
