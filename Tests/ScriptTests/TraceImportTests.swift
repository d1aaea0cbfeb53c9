import Engine
import Testing

@testable import Script

/// `TraceReader` and `TraceImporter` on the quoted real lines (raw ftrace with 5- and 4-character
/// flags, perf script) and on lines built from trace-cmd's KVM plugin formats.
@Suite("Trace import")
struct TraceImportTests {
  private func read(_ text: String) throws -> KVMTrace {
    try TraceReader.read(Array(text.utf8)).get()
  }

  private func script(_ text: String, mechanism: Mechanism? = nil) throws -> ImportedScript {
    TraceImporter.script(
      for: try read(text), options: TraceImportOptions(source: "trace.txt", mechanism: mechanism))
  }

  /// The statements of a script (comments dropped), for comparing dialects.
  private func statements(_ script: ImportedScript) -> [String] {
    script.text.split(separator: "\n").compactMap { line in
      let code = TraceCheck.statement(String(line))
      return code.isEmpty ? nil : code
    }
  }

  @Test("golden: Mathias Krause's raw ftrace (5-character flags) becomes this script")
  func goldenRawFtrace() throws {
    let imported = try script(TraceFixtures.mathias)
    #expect(imported.text == Self.mathiasGolden)
    #expect(imported.replayed == 5)
  }

  @Test("raw ftrace with a 5-character flags column: every KVM event read, in order, with its vCPU")
  func fiveCharacterFlags() throws {
    let trace = try read(TraceFixtures.mathias)
    #expect(trace.dialect == .rawFtrace)
    #expect(trace.lineCount == 20)
    #expect(trace.events.count == 17)
    #expect(trace.events.allSatisfy { $0.vcpu == 1 && $0.thread == 8397 })
    #expect(
      trace.events[1]
        == TracedEvent(
          line: 2, vcpu: 1, thread: 8397, timestamp: "1404.389373",
          event: .controlRegister(write: true, cr: 0, value: 0x8005_0033)))
    #expect(trace.events[0].event == .exit(vcpu: 1, reason: "CR_ACCESS", rip: 0xffff_ffff_8100_007a))
    #expect(trace.events[2].event == .entry(vcpu: 1, rip: 0xffff_ffff_8100_007d))
    #expect(
      trace.events.contains { $0.event == .msr(write: false, msr: 0xc000_0080, value: 0xd01, faulted: false) }
    )
    #expect(trace.events.contains { $0.event == .exception(name: "#PF") })
    #expect(trace.unused == ["kvm_cpuid": 1, "kvm_emulate_insn": 1, "kvm_mmu_walker_error": 1])
    #expect(
      trace.unusedSummary == "3 lines not used: kvm_cpuid 1, kvm_emulate_insn 1, kvm_mmu_walker_error 1")
  }

  @Test("raw ftrace with a 4-character flags column (Vitaly Kuznetsov's kvm_nested_vmexit line)")
  func fourCharacterFlags() throws {
    let trace = try read(TraceFixtures.vitaly)
    #expect(trace.dialect == .rawFtrace)
    #expect(
      trace.events == [
        TracedEvent(
          line: 1, vcpu: 0, thread: 20263, timestamp: "75982.292657",
          event: .nestedExit(vcpu: 0, reason: "hypercall", rip: 0x40122f))
      ])
    let imported = try script(TraceFixtures.vitaly)
    #expect(imported.text.contains("# L2 exit to L0: reason hypercall rip 0x40122f at 75982.292657 (line 1)"))
    #expect(imported.replayed == 0)
  }

  @Test("perf script without comm/pid columns: the quoted TRIPLE_FAULT line; the elided line is counted")
  func perfScript() throws {
    let trace = try read(TraceFixtures.perf)
    #expect(trace.dialect == .perfScript)
    #expect(trace.events.map(\.event) == [.exit(vcpu: 0, reason: "TRIPLE_FAULT", rip: 0x100146)])
    #expect(trace.events[0].thread == -1 - 1)
    #expect(trace.unused == ["not an event line": 1])
    let imported = try script(TraceFixtures.perf)
    #expect(
      imported.text.contains("# vCPU 0 shut down: TRIPLE_FAULT exit at 770.850307 rip 0x100146 (line 1)"))
  }

  @Test("perf script with its comm and pid columns reads as the raw ftrace it came from")
  func perfScriptWithColumns() throws {
    let trace = try read(TraceFixtures.perfWithColumns)
    #expect(trace.dialect == .perfScript)
    #expect(trace.events.map(\.thread) == [8397, 8397, 8397])
    #expect(trace.events[1].event == .controlRegister(write: true, cr: 0, value: 0x8005_0033))
    #expect(trace.unused == ["header or comment": 4])
  }

  @Test("trace-cmd report with the KVM plugin: kvm_exit without a vCPU takes its thread's next kvm_entry's")
  func traceCmdPlugin() throws {
    let trace = try read(TraceFixtures.traceCmdPlugin)
    #expect(trace.dialect == .traceCmd)
    #expect(!trace.guessedVCPU)
    #expect(trace.events.allSatisfy { $0.vcpu == 1 })
    #expect(trace.events[0].event == .exit(vcpu: nil, reason: "CR_ACCESS", rip: 0xffff_ffff_8100_007a))
    #expect(trace.events[3].event == .exit(vcpu: nil, reason: "CR_ACCESS", rip: 0xffff_ffff_8100_00a0))
    #expect(trace.events[2].event == .entry(vcpu: 1, rip: 0xffff_ffff_8100_007d))
    #expect(trace.events[6].event == .nestedExit(vcpu: nil, reason: "hypercall", rip: 0x40122f))
    #expect(trace.unused == ["not an event line": 1])
    let plugin = statements(try script(TraceFixtures.traceCmdPlugin))
    let sameEvents = TraceFixtures.mathias.split(separator: "\n").prefix(6).joined(separator: "\n")
    #expect(plugin == statements(try script(sameEvents)))
    #expect(plugin.contains("mov cr4, 0xb0"))
  }

  @Test("an ftrace tgid column and a thread named with spaces (QEMU's `CPU 0/KVM`)")
  func tgidAndSpaces() throws {
    let trace = try read(
      " CPU 0/KVM-4242  (  4200) [003] d.h1.  88.000001: kvm_entry: vcpu 3, rip 0xfff0\n")
    #expect(
      trace.events == [
        TracedEvent(
          line: 1, vcpu: 3, thread: 4242, timestamp: "88.000001", event: .entry(vcpu: 3, rip: 0xfff0))
      ])
  }

  @Test("a #GP injected after a write becomes expect gp, kvm_entry expect ok, an unseen outcome nothing")
  func outcomes() throws {
    let imported = try script(TraceFixtures.boot)
    #expect(
      imported.text.contains(
        "mov cr4, 0x1360ef0  # 10.000014 rip 0xffffffff81100000 (line 16)\nexpect[none] gp\n"))
    #expect(
      imported.text.contains(
        "mov cr0, 0x80040033  # 10.000018 rip 0xffffffff81200000 (line 20)\nexpect[none] ok\n"))
    #expect(!imported.text.contains("# #GP injected"))
    let mathias = try script(TraceFixtures.mathias)
    #expect(mathias.text.contains("(line 14)\n# vCPU 1 is up"))
  }

  @Test("phases: Mathias's vCPU 1 is brought up; the boot trace's vCPU 0 boots, then runs")
  func phases() throws {
    let bringUp = try script(TraceFixtures.mathias)
    let lineOfUp = try read(TraceFixtures.mathias).events.map(\.line).firstIndex(of: 14) ?? 0
    #expect(bringUp.phases[...lineOfUp].allSatisfy { $0 == .bringUp })
    #expect(bringUp.phases[(lineOfUp + 1)...].allSatisfy { $0 == .later })
    let boot = try script(TraceFixtures.boot)
    let trace = try read(TraceFixtures.boot)
    let crWrites = trace.events.indices.filter {
      if case .controlRegister = trace.events[$0].event { return true } else { return false }
    }
    #expect(crWrites.map { boot.phases[$0] } == [.boot, .boot, .boot, .later, .later])
    #expect(boot.text.contains("migrate drop-pins\nreboot\n"))
    #expect(!boot.text.contains("\nreset"))
  }

  @Test("notes: the trace cannot show CR0.WP toggles on 6.4+ with EPT, unless it shows one")
  func guestOwnedNotes() throws {
    let mathias = try script(TraceFixtures.mathias)
    #expect(
      mathias.notes.first?.hasPrefix("CR0.WP: the trace shows no CR0 write that toggles only WP.") == true)
    #expect(mathias.notes.first?.contains("fb509f76acc8") == true)
    #expect(mathias.text.contains("# note: CR0.WP: the trace shows no CR0 write"))
    let boot = try script(TraceFixtures.boot)
    #expect(boot.notes.first?.hasPrefix("line 20 toggles only CR0.WP and it exited") == true)
    let none = try script(TraceFixtures.perf)
    #expect(none.notes.first?.hasPrefix("the trace has no kvm_cr writes") == true)
  }

  @Test("a malformed KVM event line is named by its line and skipped; the rest imports")
  func malformedLine() throws {
    let lines = TraceFixtures.mathias.split(separator: "\n").map(String.init)
    var broken = lines
    broken[4] = " qemu-system-x86-8397    [002] .....  1404.389488: kvm_cr: cr_write 4 = CAN'T FIND FIELD"
    let trace = try read(broken.joined(separator: "\n"))
    #expect(trace.malformed.count == 1)
    #expect(trace.malformed.first?.line == 5)
    #expect(trace.malformed.first?.event == "kvm_cr")
    #expect(trace.unused["malformed kvm_cr"] == 1)
    let imported = TraceImporter.script(for: trace, options: TraceImportOptions(source: "t"))
    #expect(imported.text.contains("# line 5: a kvm_cr line not in a known format"))
    #expect(!imported.text.contains("mov cr4, 0xb0"))
  }

  @Test(
    "bad input: a clear message",
    arguments: [
      ("", "the trace is empty"),
      ("  \n\n", "the trace is empty"),
      ("abc\u{0}def", "not a text trace (byte 0x00 at offset 3)"),
      (
        "\u{17}\u{08}Dtracing6",
        "this is trace-cmd's binary trace.dat: turn it into text with `trace-cmd report FILE > trace.txt`"
      ),
      (
        "PERFILE2",
        "this is perf's binary perf.data: turn it into text with `perf script -i FILE > trace.txt`"
      ),
      (
        " bash-1 [000] ..... 1.000: sched_switch: prev_comm=bash\n",
        "no KVM events in 1 line (record them with `trace-cmd record -e kvm`, `perf record -e 'kvm:*'` or by enabling events/kvm in tracefs)"
      ),
    ])
  func badInput(_ input: String, _ message: String) {
    #expect(
      TraceReader.read(Array(input.utf8)).map(\.lineCount) == .failure(TraceInputError(message: message)))
  }

  @Test("invalid UTF-8 is not a text trace")
  func invalidUTF8() {
    let bytes: [UInt8] = Array("ok ".utf8) + [0xff, 0x41]
    #expect(
      TraceReader.read(bytes).map(\.lineCount)
        == .failure(TraceInputError(message: "not a text trace (invalid UTF-8: byte 0xff at offset 3)")))
  }

  @Test("events of a vCPU crpin cannot model are kept as comments and said so")
  func vcpuBeyondLimit() throws {
    let imported = try script(
      " qemu-1 [000] d.... 1.000001: kvm_exit: vcpu 9 reason CR_ACCESS rip 0x10 info1 0x0 info2 0x0 intr_info 0x0 error_code 0x0\n"
        + " qemu-1 [000] ..... 1.000002: kvm_cr: cr_write 4 = 0x20\n")
    #expect(
      imported.text.contains(
        "# vCPU 9 (crpin models at most 8): cr_write 4 = 0x20 at 1.000002 rip 0x10 (line 2)"))
    #expect(imported.notes.contains { $0.hasPrefix("1 event of vCPUs above 7 kept as comments") })
    #expect(imported.replayed == 0)
  }

  @Test(
    "SMM, nested and hypercall events become smi/rsm, vmentry/vmexit, hypercall lock_cr; the rest comments")
  func smmNestedHypercall() throws {
    let text = [
      " qemu-1 [000] d.... 5.000001: kvm_exit: vcpu 0 reason VMCALL rip 0x10 info1 0x0 info2 0x0 intr_info 0x0 error_code 0x0",
      " qemu-1 [000] ..... 5.000002: kvm_hypercall: nr 0xd a0 0x4 a1 0x300800 a2 0x0 a3 0x0",
      " qemu-1 [000] ..... 5.000003: kvm_hypercall: nr 0x5 a0 0x0 a1 0x1 a2 0x0 a3 0x0",
      " qemu-1 [000] ..... 5.000004: kvm_smm_transition: vcpu 0: entering SMM, smbase 0x30000",
      " qemu-1 [000] ..... 5.000005: kvm_enter_smm: vcpu 0: leaving SMM, smbase 0x30000",
      " qemu-1 [000] ..... 5.000006: kvm_nested_vmenter: rip: 0x10 vmcs: 0x1000 nested_rip: 0x0",
      " qemu-1 [000] ..... 5.000007: kvm_nested_vmexit_inject: reason: EXTERNAL_INTERRUPT ext_inf1: 0x0 ext_inf2: 0x0 ext_int: 0x0 ext_int_err: 0x0",
      " qemu-1 [000] ..... 5.000008: kvm_nested_vmexit_inject: reason: EXTERNAL_INTERRUPT ext_inf1: 0x0 ext_inf2: 0x0 ext_int: 0x0 ext_int_err: 0x0",
    ].joined(separator: "\n")
    let imported = try script(text)
    let body = imported.text.split(separator: "\n").drop { !$0.hasPrefix("host sregs") }.dropFirst()
      .prefix { !$0.hasPrefix("# note") }
    #expect(
      Array(body) == [
        "hypercall lock_cr 4, 0x300800, 0x0  # 5.000002 rip 0x10 (line 2)",
        "# KVM_HC_KICK_CPU (0x0 0x1 0x0 0x0) at 5.000003 rip 0x10 (line 3)",
        "smi  # 5.000004 rip 0x10 (line 4)",
        "rsm  # 5.000005 rip 0x10 (line 5)",
        "expect[none] ok",
        "vmentry  # 5.000006 rip 0x10 (line 6)",
        "vmexit  # 5.000007 rip 0x10 (line 7) reason EXTERNAL_INTERRUPT",
        "# nested VM-exit to L1, reason EXTERNAL_INTERRUPT (L2's entry is not in the trace) at 5.000008 rip 0x10 (line 8)",
      ])
    #expect(imported.replayed == 5)
  }

  static let mathiasGolden = """
    # Imported by `crpin import trace` from trace.txt (raw ftrace):
    # 20 lines, 17 KVM events, vCPU 1.
    # Starting state: a VM booted under the mechanism in force; each vCPU, at its first event, gets
    # the first CR0/CR3/CR4/EFER values the trace shows for it (`host sregs`). A vCPU the trace
    # shows starting up is reset first (INIT) and, once up, pins as the design's kernel does.
    # The trace's own outcomes are `expect[none]` lines (it was recorded without CR pinning):
    # `crpin compare` checks them in the none column.
    vcpus 2
    vcpu 1
    reset  # vCPU 1 starts up in the trace (CPU bring-up): INIT first
    host sregs cr0=0x80050033 cr4=0xb0 efer=0xd01  # the first values the trace shows
    mov cr0, 0x80050033  # 1404.389373 rip 0xffffffff8100007a (line 2)
    expect[none] ok
    mov cr4, 0xb0  # 1404.389488 rip 0xffffffff810000a0 (line 5)
    expect[none] ok
    rdmsr 0xc0000080  # 1404.389509 rip 0xffffffff81000130 (line 10)
    expect[none] ok
    expect[none] value == 0xd01
    wrmsr 0xc0000080, 0xd01  # 1404.389519 rip 0xffffffff81000149 (line 12)
    expect[none] ok
    mov cr4, 0x3208b0  # 1404.389537 rip 0xffffffff81053aee (line 14)
    # vCPU 1 is up (WP UMIP SMEP SMAP on): its kernel pins here, as the design's does
    boot  # crpin's boot of this vCPU, pinning under the mechanism in force
    host sregs cr0=0x80050033 cr4=0x3208b0 efer=0xd01  # back to the trace's values
    # #PF injected at 1404.389684 rip 0xffffffff810551b8 (line 18)
    # vCPU 1 shut down: TRIPLE_FAULT exit at 1404.389730 rip 0xffffffff810551b8 (line 20)

    # 3 lines not used: kvm_cpuid 1, kvm_emulate_insn 1, kvm_mmu_walker_error 1
    # note: CR0.WP: the trace shows no CR0 write that toggles only WP. On a Linux 6.4+ host with EPT (and
    # the 6.1/5.15/5.10 backports) WP is a guest-owned bit and toggling it does not exit (fb509f76acc8
    # "KVM: VMX: Make CR0.WP a guest owned bit"; Mathias Krause: "toggling CR0.WP won't generate a VMEXIT
    # because the bit is guest owned", Msg-ID ea3a8fbc-2bf8-7442-e498-3e5818384c83@grsecurity.net), so a
    # guest that cleared WP left no line here and a design that pins WP was not asked about it.
    # note: CR4 bits the guest owns on VMX never exit either: PVI, DE, PCE, OSFXSR, OSXMMEXCPT and PGE
    # (5.8), TSD (5.9+), FSGSBASE (5.10+), CET (6.18+); CR0.TS always. The trace shows only writes that
    # changed an intercepted bit.

    """
}
