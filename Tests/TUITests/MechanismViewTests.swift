import Engine
import Script
import Testing

@testable import TUI

@Suite("mechanisms, compare pane, discrepancies, projector")
struct MechanismViewTests {
  @Test(
    "M opens a picker of every mechanism with its summary; Enter re-boots the guest under one, logged once")
  func picker() throws {
    var d = Driver(AppState(isRecording: true))
    #expect(d.screen().line(0).contains("mech:kvm-2020"))
    d.press(.character("M"))
    #expect(d.state.mode.kind == .mechanismPicker)
    let text = d.screen().text
    for mechanism in Mechanism.allCases { #expect(text.contains(mechanism.rawValue)) }
    #expect(text.contains(Mechanism.kvm2020.summary))
    d.press(.down, .enter)
    #expect(d.state.mode.kind == .normal)
    #expect(d.state.vm.options.mechanism == .kvmRFC2)
    #expect(d.recorded == ["option mechanism kvm-rfc2", "reboot", "boot", "vcpu 1", "boot", "vcpu 0"])
    // One log entry says what happened; the guest pinned again as kvm-rfc2's kernel does.
    #expect(d.state.log.count == 1)
    let entry = try #require(d.state.log.last)
    #expect(entry.statement == "option mechanism kvm-rfc2")
    #expect(entry.details.first?.text.contains("re-booted under kvm-rfc2") == true)
    #expect(d.state.vm.effectivePins(on: 0).cr4High == 0x30_0800)
    #expect(d.state.vm.vcpus[1].registers.cr4 == 0x36_0ef0)
    #expect(try replay(d.state.transcript.lines).vm == d.state.vm)
    // Esc leaves the picker without a change; `:option mechanism` still switches alone.
    d.press(.character("M"), .escape)
    #expect(d.state.vm.options.mechanism == .kvmRFC2)
    d.command("option mechanism heki")
    #expect(d.state.vm.options.mechanism == .heki)
    #expect(d.recorded.last == "option mechanism heki")
  }

  @Test("re-booting under heki says in the log that vCPU 1's boot met the per-VM lock")
  func pickerHeki() {
    var d = Driver()
    d.press(.character("M"))
    d.state.mode = .mechanismPicker(selection: Mechanism.allCases.firstIndex(of: .heki) ?? 0)
    d.press(.enter)
    let details = d.state.log.last?.details.map(\.text) ?? []
    #expect(details.contains { $0.hasPrefix("vCPU 1 boot → #GP: heki.cr0.locked") })
    #expect(d.state.log.last?.outcome == .gp)
  }

  @Test("a check scoped to another mechanism is dimmed and says skipped, never ✓")
  func skippedCheck() {
    var d = Driver()
    d.command("mov cr4, cr4 & ~SMEP")
    d.command("expect[native] ok")
    d.command("expect[kvm-2020] gp")
    let details = d.state.log.last?.details ?? []
    let skipped = details.first { $0.text.contains("expect[native] ok") }
    #expect(skipped?.role == .dim)
    #expect(skipped?.text.hasPrefix("– ") == true)
    #expect(skipped?.text.contains("skipped") == true)
    #expect(details.contains { $0.text == "✓ expect[kvm-2020] gp" && $0.role == .success })
  }

  @Test("pin keys follow the design: rfc2's CR4_PINNED by name, heki's hypercall, vtl1's intercept")
  func pinKeysPerMechanism() throws {
    var d = Driver(AppState(isRecording: true))
    d.command("option mechanism kvm-rfc2")
    d.press(.character("H"))
    #expect(d.recorded.last == "wrmsr CR4_PINNED, 0x100000")
    #expect(d.state.vm.effectivePins(on: 0).cr4High == 0x100000)
    d.press(.character("L"))
    #expect(d.state.message?.text.contains("no pinned-low MSR") == true)
    d.command("option mechanism heki")
    d.press(.character("H"))
    #expect(d.recorded.last == "hypercall lock_cr cr4, 0x100000")
    #expect(d.state.vm.payload(of: HekiPinning.self)?.vm.cr4 == 0x100000)
    d.press(.character("="))
    #expect(d.state.message?.text.contains("never cleared") == true)
    d.command("option mechanism vtl1")
    d.press(.character("+"))
    #expect(d.recorded.last == "vtl1 intercept cr4, 0x100000")
    d.press(.character("="))
    #expect(d.recorded.last == "vtl1 intercept cr4, 0x0")
    #expect(try replay(d.state.transcript.lines).vm == d.state.vm)
  }

  @Test("under heki the MSR panel shows the per-VM locks, the register view the locks as pins")
  func hekiSnapshot() {
    var d = Driver()
    d.command("option mechanism heki")
    d.command("boot")
    checkGolden(
      d, 100, 30,
      #"""
       crpin  vCPU 0/2  L1  mech:heki  kvm-pin:on  cpuid-pin:on  native-pin:on                     ? help
      ╭ CR0 0x0000000080050033 ───────────────── allowed 0x00010000  ▲ high 0x00010000  ▼ low 0x00000000 ╮
      │ 31 30 29 28-19 18 17 16 15-6   5  4  3  2  1  0    ▲ pinned high ▼ low ◦ free                    │
      │ PG CD NW  rsvd AM  · WP  rsvd NE ET TS EM MP PE    1↑ 0↓ set/cleared now                         │
      │  1  0  0        1  ·  1        1  1  0  0  1  1    1↕ put back · reserved                        │
      │                       ▲                            [1] cursor !1! #GP                            │
      ├ CR4 0x0000000000360ef0 ──────────────── allowed 0x100b10800  ▲ high 0x00300800  ▼ low 0x00000000 ┤
      │ 24 23 22 21 20 19 18 17 16 15 14 13 12 11 10  9  8  7  6  5  4  3  2  1  0                       │
      │ PKS   PKE  SMEP  OSXSV FSGSB SMXE  LA57  OSXMM  PCE   MCE   PSE   TSD   VME                      │
      │    CET  SMAP   KL   PCIDE   ·   VMXE  UMIP  OSFXS  PGE   PAE   DE    PVI                         │
      │  ·  ·  0  1 !1! ·  1  1  0  ·  ·  0  0  1  1  1  0  1  1  1  1  0  0  0  0                       │
      │     ◦     ▲  ▲           ◦              ▲                                                        │
      ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
      ╭ Heki locks (per VM) vCPU 0 ──────────────╮╭ CR4.SMEP  bit 20  0x100000 ───────────────────── = 1 ╮
      │ hypercall lock_cr: OR-only, never cleared││ Supervisor Mode Execution Prevention                 │
      │ CR0 locked    0x00010000                 ││ The kernel may not execute code in user pages.       │
      │ CR4 locked    0x00300800                 ││ CPUID SMEP yes  locked HIGH ▲ (heki)                 │
      │ host CR0      0x80050033                 ││ since [Linux 3.0+] [pinned 5.3+]                     │
      │ host CR4      0x00372ef0                 ││ Toggle now (mov cr4, 0x260ef0) → #GP                 │
      │ EFER 0x0000000000000d01                  ││ · heki.cr4.locked: Heki locked CR4.SMEP (bit 20,     │
      │ CR3  0x000000000b41c000                  ││   0x100000) for the whole VM: the write would clear  │
      │                                          ││   it. Host log: "heki: Blocked CR4 update". —        │
      ╰──────────────────────────────────────────╯╰──────────────────────────────────────────────────────╯
      ╭ Log ─────────────────────────────────────────────────────────────────────────────────────────────╮
      │       set new ones.                                                                              │
      │ 2 v0 kernel boot                     ok                                                          │
      │     pins.cr0_high 0x0 → 0x10000, pins.cr4_high 0x0 → 0x300800, v1 pins.cr0_high 0x0 → 0x10000,   │
      │       v1 pins.cr4_high 0x0 → 0x300800                                                            │
      ╰ actions and outcomes · PgUp scrolls back ────────────────────────────────────────────────────────╯
       Spc toggle  H/L pin  +/-/= host  u undo  : command  s SMI  v L2  M mechanism        ? help  q quit
      """#)
  }

  @Test("under vtl1 the intercept mask and policy replace the pin masks")
  func vtl1Snapshot() {
    var d = Driver()
    d.command("option mechanism vtl1")
    d.command("boot")
    d.press(.character(" "))
    checkGolden(
      d, 100, 30,
      #"""
       crpin  vCPU 0/2  L1  mech:vtl1  kvm-pin:on  cpuid-pin:on  native-pin:on                     ? help
      ╭ CR0 0x0000000080050033 ─────────────────────────────── ◆ VTL1 intercepts 0x00000000  policy drop ╮
      │ 31 30 29 28-19 18 17 16 15-6   5  4  3  2  1  0    ◆ VTL1 intercepts it                          │
      │ PG CD NW  rsvd AM  · WP  rsvd NE ET TS EM MP PE    1↑ 0↓ set/cleared now                         │
      │  1  0  0        1  ·  1        1  1  0  0  1  1    1↕ put back · reserved                        │
      │                                                    [1] cursor !1! #GP                            │
      ├ CR4 0x0000000000360ef0 ─────────────────────────────── ◆ VTL1 intercepts 0xffffffff  policy drop ┤
      │ 24 23 22 21 20 19 18 17 16 15 14 13 12 11 10  9  8  7  6  5  4  3  2  1  0                       │
      │ PKS   PKE  SMEP  OSXSV FSGSB SMXE  LA57  OSXMM  PCE   MCE   PSE   TSD   VME                      │
      │    CET  SMAP   KL   PCIDE   ·   VMXE  UMIP  OSFXS  PGE   PAE   DE    PVI                         │
      │  ·  ·  0  1 !1! ·  1  1  0  ·  ·  0  0  1  1  1  0  1  1  1  1  0  0  0  0                       │
      │  ◆  ◆  ◆  ◆  ◆  ◆  ◆  ◆  ◆     ◆  ◆  ◆  ◆  ◆  ◆  ◆  ◆  ◆  ◆  ◆  ◆  ◆  ◆  ◆                       │
      ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
      ╭ VTL1 intercepts vCPU 0 ──────────────────╮╭ CR4.SMEP  bit 20  0x100000 ───────────────────── = 1 ╮
      │ CR0 intercept 0x00000000                 ││ Supervisor Mode Execution Prevention                 │
      │ CR4 intercept 0xffffffff                 ││ The kernel may not execute code in user pages.       │
      │ policy        drop (LVBS: skip, no fault)││ CPUID SMEP yes  VTL1 intercepts it ◆ (policy drop)   │
      │ EFER 0x0000000000000d01                  ││ since [Linux 3.0+] [pinned 5.3+]                     │
      │ CR3  0x000000000b41c000                  ││ Toggle now (mov cr4, 0x260ef0) → dropped             │
      │                                          ││ · vtl1.intercept: VTL1 intercepts CR4 writes         │
      │                                          ││   changing 0xffffffff; this one changes CR4.SMEP     │
      │                                          ││   (bit 20, 0x100000). Policy drop: VTL1 skipped the  │
      ╰──────────────────────────────────────────╯╰──────────────────────────────────────────────────────╯
      ╭ Log ─────────────────────────────────────────────────────────────────────────────────────────────╮
      │     vtl1.cr4_intercept 0x0 → 0xffffffff                                                          │
      │ 3 v0 guest  mov cr4, 0x260ef0        dropped                                                     │
      │     vtl1.intercept: VTL1 intercepts CR4 writes changing 0xffffffff; this one changes CR4.SMEP    │
      │       (bit 20, 0x100000). Policy drop: VTL1 skipped the instruction — nothing changed, no fault. │
      ╰ actions and outcomes · PgUp scrolls back ────────────────────────────────────────────────────────╯
       Spc toggle  H/L pin  +/-/= host  u undo  : command  s SMI  v L2  M mechanism        ? help  q quit
      """#)
  }

  @Test("allowed-writable: the detail pane says why pinning PCIDE is trouble; badges for SMEP")
  func detailPane() {
    var d = Driver()
    #expect(d.screen(120, 40).text.contains("[Linux 3.0+]"))
    d.press(.character("W"))
    d.state.cursor = BitCursor(.cr4, 17)
    #expect(d.screen(120, 40).text.contains("32-bit mode impossible"))
  }

  @Test("c: the cursor bit under every mechanism after the same steps; Esc closes")
  func comparePane() {
    var d = Driver()
    d.press(.character("c"))
    #expect(d.state.mode.kind == .compare)
    let text = d.screen().text
    #expect(text.contains("kvm-rfc2"))
    #expect(text.contains("dropped"))
    d.press(.character("l"))
    #expect(d.state.cursor == BitCursor(.cr4, 19))
    d.press(.escape)
    #expect(d.state.mode.kind == .normal)
    #expect(d.state.comparison == nil)
  }

  @Test("the compare pane with a scenario's matrix at 100x30")
  func compareSnapshot() {
    var d = Driver()
    d.effects += d.state.startScenario(id: "compare-rop") ?? []
    d.press(.character("n"), .character("c"))
    checkGolden(
      d, 100, 30,
      #"""
       vCPU 0/1  L1  kvm-2020 kvm:on cpuid:on native:on  kernel 5.8 · kvm 5.8  ▶ compare-rop 1/6   ? help
      ╭ Compare CR4.SMEP  each mechanism booted, then the same 9 statements ─────────────────────────────╮
      │ + held: attack stopped  ! lost: attack worked  plain: no attack                                  │
      │ mechanism     = pin state             toggle: guest mov           kernel write                   │
      │ kvm-2020      1 pinned high           + #GP pin.cr4.high          + #GP                          │
      │ kvm-rfc2      1 pinned high           + #GP rfc2.pin.cr4          + #GP                          │
      │ heki          1 pinned high           + #GP heki.cr4.locked       + #GP                          │
      │ vtl1          1 intercepted (drop)    + dropped vtl1.intercept    + dropped                      │
      │ xen-vm-event  1 intercepted (deny)    + dropped xen.monitor.deny  + dropped                      │
      │ native        0 native pin            ok                          ok                             │
      │ none          0 -                     ok                          ok                             │
      │                                                                                                  │
      │ Scenario compare-rop: ▸ marks the steps run                                                      │
      │ line  step                        kvm-2020 kvm-rfc2 heki     vtl1     xen-vm-… native   none     │
      │ ▸15   mov cr4, cr4 & ~SMEP        + #GP    + #GP    + #GP    + dropp… + dropp… ! ok     ! ok     │
      │  26   host sregs cr4=cr4 | SMEP   ok       ok       ok       ok       ok       ok       ok       │
      │  30   kernel write cr4, cr4 & ~…  + #GP    + #GP    + #GP    + dropp… + dropp… + resto… ! ok     │
      │  40   exec user                   + #PF    + #PF    + #PF    + #PF    + #PF    + #PF    ! ok     │
      │  47   host sregs cr4=cr4 | SMEP   ok       ok       ok       ok       ok       ok       ok       │
      │  48   vmcs12 host_cr4, cr4 & ~S…  ok       ok       ok       ok       ok       ok       ok       │
      │  49   vmentry                     ok       ok       ok       ok       ok       ok       ok       │
      │  50   vmexit                      + ok, f… ! ok     ! ok     ! ok     ! ok     ! ok     ! ok     │
      │  58   host sregs cr4=cr4 | SMEP   ok       ok       ok       ok       ok       ok       ok       │
      │  59   smi                         ok       ok       ok       ok       ok       ok       ok       │
      │  60   smram cr4, smram.cr4 & ~S…  ok       ok       ok       ok       ok       ok       ok       │
      │  61   rsm                         + VM st… + ok, r… ! ok     ! ok     ! ok     ! ok     ! ok     │
      │                                                                                                  │
      │                                                                                                  │
      ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
       ←→ bit  ↑↓ register  PgUp/PgDn matrix  Esc close                                    ? help  q quit
      """#)
  }

  @Test("D lists D1-D6 and R1-R2; any other key closes it")
  func discrepancies() {
    var d = Driver()
    d.press(.character("D"))
    let text = d.screen(120, 40).text
    for id in ["D1", "D6", "R1", "R2"] { #expect(text.contains(id + "  ")) }
    d.press(.down)
    #expect(d.state.mode.scroll == 1)
    d.press(.escape)
    #expect(d.state.mode.kind == .normal)
  }

  @Test("the projector layout: bit names spelled out, fewer columns", .tags(.golden))
  func projector() {
    var d = Driver(AppState(projector: true))
    d.state.cursor = BitCursor(.cr4, 7)
    d.press(.character(" "))
    checkGolden(
      d, 100, 30,
      #"""
       crpin  vCPU 0/2  L1  mech:kvm-2020  kvm-pin:on  cpuid-pin:on  native-pin:on                 ? help
      ╭ CR0 0x80050033 ──────────────────────────────────────────────────────────────────────────────────╮
      │ PG         1    CD         0    NW         0    AM         1    WP         1▲   NE         1     │
      │ ET         1    TS         0    EM         0    MP         1    PE         1                     │
      ├ CR4 0x360e70 ────────────────────────────────────────────────────────────────────────────────────┤
      │ PKS        ·    CET        ·    PKE        0    SMAP       1▲   SMEP       1▲   KL         ·     │
      │ OSXSAVE    1    PCIDE      1    FSGSBASE   0    SMXE       ·    VMXE       0    LA57       0     │
      │ UMIP       1▲   OSXMMEXCPT 1    OSFXSR     1    PCE        0   ▸PGE        0 ↓  MCE        1     │
      │ PAE        1    PSE        1    DE         0    TSD        0    PVI        0    VME        0     │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
      ╭ CR4.PGE  bit 7  0x80 ─────────────────────────────────────────────────────────────────────── = 0 ╮
      │ Page Global Enable                                                                               │
      │ Global pages survive CR3 writes.                                                                 │
      │ not pinnable                                                                                     │
      │ Toggle now (mov cr4, 0x360ef0) → ok                                                              │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
      ╭ Log ─────────────────────────────────────────────────────────────────────────────────────────────╮
      │ 1 v0 guest  mov cr4, 0x360e70        ok                                                          │
      │     CR4 0x360ef0 → 0x360e70                                                                      │
      │                                                                                                  │
      │                                                                                                  │
      ╰ actions and outcomes · PgUp scrolls back ────────────────────────────────────────────────────────╯
       Spc toggle  H/L pin  +/-/= host  u undo  : command  s SMI  v L2  M mechanism        ? help  q quit
      """#)
  }

  @Test("themes: monochrome tells alarm from pinned; projector has no dim text")
  func themes() {
    #expect(Theme.monochrome[.alarm] != Theme.monochrome[.pinned])
    #expect(Theme.monochrome[.changed] != Theme.monochrome[.normal])
    for role in Role.allCases { #expect(!Theme.projector[role].dim) }
    #expect(Theme.named("projector")?.name == .projector)
    #expect(Theme.named("mono")?.usesColor == false)
    #expect(Theme.named("sepia") == nil)
  }

  @Test("--from: the registers of a pasted oops become a host sregs line at the start, logged on its own")
  func fromDump() throws {
    let oops = "CR2: 0000000000401000 CR3: 000000000b41c000 CR4: 00000000001006f0\n"
    let start = try #require(DumpStart(dump: oops))
    #expect(start.statement == "host sregs cr3=0xb41c000 cr4=0x1006f0")
    #expect(start.applied == ["CR3 0xb41c000", "CR4 0x1006f0"])
    #expect(start.ignored == ["CR2 0x401000"])
    var state = AppState(setup: [start.statement])
    state.describe(start, file: "oops.txt")
    #expect(state.vm.vcpus[0].registers.cr4 == 0x1006f0)
    #expect(state.transcript.lines == ["vcpus 2", "host sregs cr3=0xb41c000 cr4=0x1006f0"])
    #expect(!state.hasUnsavedWork)
    #expect(state.log.count == 1)
    let entry = try #require(state.visibleLog.last)
    #expect(entry.statement == start.statement)
    #expect(entry.details.first?.text.hasPrefix("--from oops.txt: read CR3 0xb41c000, CR4 0x1006f0") == true)
    #expect(entry.details.contains { $0.text == "also in the dump, not set: CR2 0x401000" })
    // On screen at start; the next action is an entry of its own, not folded into the load.
    var d = Driver(state)
    #expect(d.screen().text.contains("--from oops.txt: read CR3"))
    d.press(.character("s"))
    #expect(d.state.log.count == 2)
    #expect(d.state.log.last?.statement == "smi")
  }
}
