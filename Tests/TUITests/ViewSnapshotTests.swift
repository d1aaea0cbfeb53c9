import Engine
import Testing
@testable import TUI

/// Golden snapshots of the view: `Screen.text` of known states, compared line for line.
@Suite("view snapshots")
struct ViewSnapshotTests {
  private func check(
    _ driver: Driver, _ width: Int, _ height: Int, _ golden: String, function: String = #function,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    checkGolden(driver, width, height, golden, function: function, sourceLocation: sourceLocation)
  }

  @Test("the booted VM at 100x30: MSR panel, detail pane, SMEP's #GP preview")
  func booted100() {
    check(
      SnapshotStates.booted, 100, 30,
      #"""
       crpin  vCPU 0/2  L1  mech:kvm-2020  kvm-pin:on  cpuid-pin:on  native-pin:on                 ? help
      ╭ CR0 0x0000000080050033 ───────────────── allowed 0x00010000  ▲ high 0x00010000  ▼ low 0x00000000 ╮
      │ 31 30 29 28-19 18 17 16 15-6   5  4  3  2  1  0    ▲ pinned high ▼ low ◦ free                    │
      │ PG CD NW  rsvd AM  · WP  rsvd NE ET TS EM MP PE    1↑ 0↓ set/cleared now                         │
      │  1  0  0        1  ·  1        1  1  0  0  1  1    1↕ put back · reserved                        │
      │                       ▲                            [1] cursor !1! #GP                            │
      ├ CR4 0x0000000000360ef0 ───────────────── allowed 0x00300800  ▲ high 0x00300800  ▼ low 0x00000000 ┤
      │ 24 23 22 21 20 19 18 17 16 15 14 13 12 11 10  9  8  7  6  5  4  3  2  1  0                       │
      │ PKS   PKE  SMEP  OSXSV FSGSB SMXE  LA57  OSXMM  PCE   MCE   PSE   TSD   VME                      │
      │    CET  SMAP   KL   PCIDE   ·   VMXE  UMIP  OSFXS  PGE   PAE   DE    PVI                         │
      │  ·  ·  0  1 !1! ·  1  1  0  ·  ·  0  0  1  1  1  0  1  1  1  1  0  0  0  0                       │
      │           ▲  ▲                          ▲                                                        │
      ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
      ╭ kvm-2020 MSRs vCPU 0 ────────────────────╮╭ CR4.SMEP  bit 20  0x100000 ───────────────────── = 1 ╮
      │ 0x4b564d08 CR0_PIN_ALLOWED 0x00010000    ││ Supervisor Mode Execution Prevention                 │
      │ 0x4b564d09 CR4_PIN_ALLOWED 0x00300800    ││ The kernel may not execute code in user pages.       │
      │ 0x4b564d0a CR0_PINNED_LOW  0x00000000    ││ CPUID SMEP yes  pinned HIGH ▲                        │
      │ 0x4b564d0b CR0_PINNED_HIGH 0x00010000    ││ since [Linux 3.0+] [pinned 5.3+]                     │
      │ 0x4b564d0c CR4_PINNED_LOW  0x00000000    ││ Toggle now (mov cr4, 0x260ef0) → #GP                 │
      │ 0x4b564d0d CR4_PINNED_HIGH 0x00300800    ││ · pin.cr4.high: CR4.SMEP (bit 20, 0x100000) is       │
      │ EFER 0x0000000000000d01                  ││   pinned high: the write would clear it. —           │
      │ CR3  0x000000000b41c000                  ││   kvm_set_cr4 (the patch's pin check),               │
      ╰──────────────────────────────────────────╯╰──────────────────────────────────────────────────────╯
      ╭ Log ─────────────────────────────────────────────────────────────────────────────────────────────╮
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      ╰ actions and outcomes · PgUp scrolls back ────────────────────────────────────────────────────────╯
       Spc toggle  H/L pin  +/-/= host  : command  s SMI  v L2  u undo  M mechanism        ? help  q quit
      """#
    )
  }

  @Test("the booted VM at 80x24: compact layout")
  func booted80() {
    check(
      SnapshotStates.booted, 80, 24,
      #"""
       vCPU 0/2  L1  kvm-2020 kvm:on cpuid:on native:on  kernel 5.8 · kvm 5.8  ? help
      ╭ CR0 0x0000000080050033 ────────── allowed 0x10000  ▲ high 0x10000  ▼ low 0x0 ╮
      │ 31 30 29 28-19 18 17 16 15-6   5  4  3  2  1  0    ▲ pinned high ▼ low ◦ free│
      │ PG CD NW  rsvd AM  · WP  rsvd NE ET TS EM MP PE    1↑ 0↓ set/cleared now     │
      │  1  0  0        1  ·  1        1  1  0  0  1  1    1↕ put back · reserved    │
      │                       ▲                            [1] cursor !1! #GP        │
      ├ CR4 0x0000000000360ef0 ──────── allowed 0x300800  ▲ high 0x300800  ▼ low 0x0 ┤
      │ 24 23 22 21 20 19 18 17 16 15 14 13 12 11 10  9  8  7  6  5  4  3  2  1  0   │
      │ PKS   PKE  SMEP  OSXSV FSGSB SMXE  LA57  OSXMM  PCE   MCE   PSE   TSD   VME  │
      │    CET  SMAP   KL   PCIDE   ·   VMXE  UMIP  OSFXS  PGE   PAE   DE    PVI     │
      │  ·  ·  0  1 !1! ·  1  1  0  ·  ·  0  0  1  1  1  0  1  1  1  1  0  0  0  0   │
      │           ▲  ▲                          ▲                                    │
      ╰ EFER 0xd01  CR3 0xb41c000  pin MSRs: the masks above ────────────────────────╯
      ╭ CR4.SMEP  bit 20  0x100000 ───── = 1 ╮╭ Log ─────────────────────────────────╮
      │ Supervisor Mode Execution Prevention ││                                      │
      │ The kernel may not execute code in   ││                                      │
      │ user pages.                          ││                                      │
      │ CPUID SMEP yes  pinned HIGH ▲        ││                                      │
      │ since [Linux 3.0+] [pinned 5.3+]     ││                                      │
      │ Toggle now (mov cr4, 0x260ef0) → #GP ││                                      │
      │ · pin.cr4.high: CR4.SMEP (bit 20,    ││                                      │
      │   0x100000) is pinned high: the      ││                                      │
      ╰──────────────────────────────────────╯╰ actions and outcomes · PgUp scrolls b╯
       Spc toggle  H/L pin  +/-/= host  : command  s SMI  v L2         ? help  q quit
      """#
    )
  }

  @Test("in SMM: CR4 0, the pin check skipped, the note in the preview")
  func smm() {
    check(
      SnapshotStates.smm, 80, 24,
      #"""
       vCPU 0/2  L1  SMM  kvm-2020 kvm:on cpuid:on native:on                   ? help
      ╭ CR0 0x0000000000050032 ────────── allowed 0x10000  ▲ high 0x10000  ▼ low 0x0 ╮
      │ 31 30 29 28-19 18 17 16 15-6   5  4  3  2  1  0    ▲ pinned high ▼ low ◦ free│
      │ PG CD NW  rsvd AM  · WP  rsvd NE ET TS EM MP PE    1↑ 0↓ set/cleared now     │
      │  0↓ 0  0        1  ·  1        1  1  0  0  1  0↓   1↕ put back · reserved    │
      │                       ▲                            [1] cursor !1! #GP        │
      ├ CR4 0x0000000000000000 ──────── allowed 0x300800  ▲ high 0x300800  ▼ low 0x0 ┤
      │ 24 23 22 21 20 19 18 17 16 15 14 13 12 11 10  9  8  7  6  5  4  3  2  1  0   │
      │ PKS   PKE  SMEP  OSXSV FSGSB SMXE  LA57  OSXMM  PCE   MCE   PSE   TSD   VME  │
      │    CET  SMAP   KL   PCIDE   ·   VMXE  UMIP  OSFXS  PGE   PAE   DE    PVI     │
      │  ·  ·  0  0↓[0]↓·  0↓ 0↓ 0  ·  ·  0  0  0↓ 0↓ 0↓ 0  0↓ 0↓ 0↓ 0↓ 0  0  0  0   │
      │           ▲  ▲                          ▲                                    │
      ╰ EFER 0x0  CR3 0xb41c000  pin MSRs: the masks above ──────────────────────────╯
      ╭ CR4.SMEP  bit 20  0x100000 ───── = 0 ╮╭ Log ─────────────────────────────────╮
      │ Supervisor Mode Execution Prevention ││ 1 v0 SMM smi ok                      │
      │ The kernel may not execute code in   ││     CR0 0x80050033 → 0x50032, CR4    │
      │ user pages.                          ││       0x360ef0 → 0x0, EFER 0xd01 →   │
      │ CPUID SMEP yes  pinned HIGH ▲        ││       0x0, SMM out → in              │
      │ since [Linux 3.0+] [pinned 5.3+]     ││     D3: The commit message says      │
      │ Toggle now (mov cr4, 0x100000) → ok  ││       entering SMM "disables pinned  │
      │ · In SMM the patch skips the pin     ││       bits"; SMM entry clears CR4    │
      │   check: outside SMM this CR4 write  ││       (SMEP, SMAP, UMIP go off) but  │
      ╰──────────────────────────────────────╯╰ actions and outcomes · PgUp scrolls b╯
       s RSM  Spc toggle  H/L pin  +/-/= host  u undo  : command       ? help  q quit
      """#
    )
  }

  @Test("in L2: SMEP cleared without #GP")
  func l2() {
    check(
      SnapshotStates.l2, 100, 30,
      #"""
       crpin  vCPU 0/2  L2  mech:kvm-2020  kvm-pin:on  cpuid-pin:on  native-pin:on                 ? help
      ╭ CR0 0x0000000080050033 ───────────────── allowed 0x00010000  ▲ high 0x00010000  ▼ low 0x00000000 ╮
      │ 31 30 29 28-19 18 17 16 15-6   5  4  3  2  1  0    ▲ pinned high ▼ low ◦ free                    │
      │ PG CD NW  rsvd AM  · WP  rsvd NE ET TS EM MP PE    1↑ 0↓ set/cleared now                         │
      │  1  0  0        1  ·  1        1  1  0  0  1  1    1↕ put back · reserved                        │
      │                       ▲                            [1] cursor !1! #GP                            │
      ├ CR4 0x0000000000260ef0 ───────────────── allowed 0x00300800  ▲ high 0x00300800  ▼ low 0x00000000 ┤
      │ 24 23 22 21 20 19 18 17 16 15 14 13 12 11 10  9  8  7  6  5  4  3  2  1  0                       │
      │ PKS   PKE  SMEP  OSXSV FSGSB SMXE  LA57  OSXMM  PCE   MCE   PSE   TSD   VME                      │
      │    CET  SMAP   KL   PCIDE   ·   VMXE  UMIP  OSFXS  PGE   PAE   DE    PVI                         │
      │  ·  ·  0  1 [0]↓·  1  1  0  ·  ·  0  0  1  1  1  0  1  1  1  1  0  0  0  0                       │
      │           ▲  ▲                          ▲                                                        │
      ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
      ╭ kvm-2020 MSRs vCPU 0 ────────────────────╮╭ CR4.SMEP  bit 20  0x100000 ───────────────────── = 0 ╮
      │ 0x4b564d08 CR0_PIN_ALLOWED 0x00010000    ││ Supervisor Mode Execution Prevention                 │
      │ 0x4b564d09 CR4_PIN_ALLOWED 0x00300800    ││ The kernel may not execute code in user pages.       │
      │ 0x4b564d0a CR0_PINNED_LOW  0x00000000    ││ CPUID SMEP yes  pinned HIGH ▲                        │
      │ 0x4b564d0b CR0_PINNED_HIGH 0x00010000    ││ since [Linux 3.0+] [pinned 5.3+]                     │
      │ 0x4b564d0c CR4_PINNED_LOW  0x00000000    ││ Toggle now (mov cr4, 0x360ef0) → ok                  │
      │ 0x4b564d0d CR4_PINNED_HIGH 0x00300800    ││ With SMEP off the kernel can be made to jump to code │
      │ EFER 0x0000000000000d01                  ││ in a user page (ret2usr): an exploit clears it       │
      │ CR3  0x000000000b41c000                  ││ first, with a ROP chain reaching `mov cr4`.          │
      ╰──────────────────────────────────────────╯╰──────────────────────────────────────────────────────╯
      ╭ Log ─────────────────────────────────────────────────────────────────────────────────────────────╮
      │ 2 v0 guest  mov cr4, cr4 & ~SMEP     ok                                                          │
      │     CR4 0x360ef0 → 0x260ef0                                                                      │
      │     While L2 runs the patch skips the pin check (the pins are L1's): from L1 this CR4 write      │
      │       would #GP.                                                                                 │
      ╰ actions and outcomes · PgUp scrolls back ────────────────────────────────────────────────────────╯
       v VM-exit  Spc toggle  H/L pin  +/-/= host  u undo  : command  s SMI  M mechanism   ? help  q quit
      """#
    )
  }

  @Test("a stopped VM after a tampered RSM")
  func stopped() {
    check(
      SnapshotStates.stopped, 80, 24,
      #"""
       vCPU 0/2  L1  STOPPED  kvm-2020 kvm:on cpuid:on native:on               ? help
      ╭ CR0 0x0000000000050032 ────────── allowed 0x10000  ▲ high 0x10000  ▼ low 0x0 ╮
      │ 31 30 29 28-19 18 17 16 15-6   5  4  3  2  1  0    ▲ pinned high ▼ low ◦ free│
      │ PG CD NW  rsvd AM  · WP  rsvd NE ET TS EM MP PE    1↑ 0↓ set/cleared now     │
      │  0  0  0        1  ·  1        1  1  0  0  1  0    1↕ put back · reserved    │
      │                       ▲                            [1] cursor !1! #GP        │
      ├ CR4 0x0000000000000000 ──────── allowed 0x300800  ▲ high 0x300800  ▼ low 0x0 ┤
      │ 24 23 22 21 20 19 18 17 16 15 14 13 12 11 10  9  8  7  6  5  4  3  2  1  0   │
      │ PKS   PKE  SMEP  OSXSV FSGSB SMXE  LA57  OSXMM  PCE   MCE   PSE   TSD   VME  │
      │    CET  SMAP   KL   PCIDE   ·   VMXE  UMIP  OSFXS  PGE   PAE   DE    PVI     │
      │  ·  ·  0  0 !0! ·  0  0  0  ·  ·  0  0  0  0  0  0  0  0  0  0  0  0  0  0   │
      │           ▲  ▲                          ▲                                    │
      ╰ EFER 0x901  CR3 0xb41c000  pin MSRs: the masks above ────────────────────────╯
      ╭ CR4.SMEP  bit 20  0x100000 ───── = 0 ╮╭ Log ─────────────────────────────────╮
      │ Supervisor Mode Execution Prevention ││ 3 v0 guest rsm VM exit               │
      │ The kernel may not execute code in   ││     EFER 0x0 → 0x901, SMM in → out,  │
      │ user pages.                          ││       stopped false → true           │
      │ CPUID SMEP yes  pinned HIGH ▲        ││     step mov cr4, 0x0 (RSM: restore  │
      │ since [Linux 3.0+] [pinned 5.3+]     ││       from the SMRAM image) → #GP    │
      │ Toggle now (mov cr4, 0x100000) →     ││       pin.cr4.high                   │
      │   stopped                            ││     pin.cr4.high: CR4.UMIP (bit 11,  │
      │ · state.stopped: The VM is stopped   ││       0x800), CR4.SMEP (bit 20,      │
      ╰──────────────────────────────────────╯╰ actions and outcomes · PgUp scrolls b╯
       R reboot  Spc toggle  H/L pin  +/-/= host  u undo  : command    ? help  q quit
      """#
    )
  }

  @Test("below the minimum size: the enlarge message")
  func tooSmall() {
    check(
      SnapshotStates.booted, 60, 15,
      #"""







         enlarge the window (need 80x24, have 60x15) — q quits







      """#
    )
  }

  @Test("the help overlay lists every key")
  func help() {
    check(
      SnapshotStates.help, 80, 24,
      #"""

       ╭ Keys ──────────────────────────────────────────────────────────────────────╮
       │ Move                                  Host (VMM)                           │
       │  ← h       bit to the left             +         pin bit high (SET_MSRS)   │
       │  → l       bit to the right            -         pin bit low (SET_MSRS)    │
       │  ↑↓ j k    other register              =         unpin bit                 │
       │  Home      highest bit                 r         reset this vCPU           │
       │  End       lowest bit                  R         reboot the VM             │
       │  Tab       next vCPU                   b         boot this vCPU            │
       │  S-Tab     previous vCPU               K         option kvm-pin on/off     │
       │  0-7       select vCPU n               C         option cpuid-pin on/off   │
       │ Guest                                  N         option native-pin on/off  │
       │  Spc Enter toggle bit (MOV to CR)      W         option allowed-writable   │
       │  t         toggle via kernel write     M         pick a mechanism, re-boot │
       │  H         pin bit high (WRMSR)                                            │
       │  L         pin bit low (WRMSR)                                             │
       │  m         read pinned-high MSR                                            │
       │  s         SMI / RSM                                                       │
       │  v         VM-entry to L2 / exit                                           │
       │ ▲/▼ pinned  ◆ VTL1  1↑ 0↓ 1↕ changed/put back  !1! would #GP               │
       │ Mouse click selects a bit, again toggles it; the wheel scrolls the log     │
       │ : line  Tab completes  ↑↓ history  help NAME the language  Esc C-c cancel  │
       ╰ ↑↓ more columns  any other key closes ─────────────────────────────────────╯
       ↑↓ scroll  Esc close                                            ? help  q quit
      """#
    )
  }

  @Test("a bad statement: the error under the prompt, caret at its column")
  func promptError() {
    check(
      SnapshotStates.promptError, 80, 24,
      #"""
       vCPU 0/2  L1  kvm-2020 kvm:on cpuid:on native:on  kernel 5.8 · kvm 5.8  ? help
      ╭ CR0 0x0000000080050033 ────────── allowed 0x10000  ▲ high 0x10000  ▼ low 0x0 ╮
      │ 31 30 29 28-19 18 17 16 15-6   5  4  3  2  1  0    ▲ pinned high ▼ low ◦ free│
      │ PG CD NW  rsvd AM  · WP  rsvd NE ET TS EM MP PE    1↑ 0↓ set/cleared now     │
      │  1  0  0        1  ·  1        1  1  0  0  1  1    1↕ put back · reserved    │
      │                       ▲                            [1] cursor !1! #GP        │
      ├ CR4 0x0000000000360ef0 ──────── allowed 0x300800  ▲ high 0x300800  ▼ low 0x0 ┤
      │ 24 23 22 21 20 19 18 17 16 15 14 13 12 11 10  9  8  7  6  5  4  3  2  1  0   │
      │ PKS   PKE  SMEP  OSXSV FSGSB SMXE  LA57  OSXMM  PCE   MCE   PSE   TSD   VME  │
      │    CET  SMAP   KL   PCIDE   ·   VMXE  UMIP  OSFXS  PGE   PAE   DE    PVI     │
      │  ·  ·  0  1 !1! ·  1  1  0  ·  ·  0  0  1  1  1  0  1  1  1  1  0  0  0  0   │
      │           ▲  ▲                          ▲                                    │
      ╰ EFER 0xd01  CR3 0xb41c000  pin MSRs: the masks above ────────────────────────╯
      ╭ CR4.SMEP  bit 20  0x100000 ───── = 1 ╮╭ Log ─────────────────────────────────╮
      │ Supervisor Mode Execution Prevention ││                                      │
      │ The kernel may not execute code in   ││                                      │
      │ user pages.                          ││                                      │
      │ CPUID SMEP yes  pinned HIGH ▲        ││                                      │
      ╭ : command line ──────────────────────────────────────────────────────────────╮
      │ mov cr0|cr3|cr4, EXPR   guest MOV to a control register                      │
      │ column 5: unknown control register 'cr5'; did you mean 'cr0'?                │
      │    ^                                                                         │
      ╰ Tab completes · ↑↓ history · help NAME · Esc or C-c cancels ─────────────────╯
      :mov cr5, 1
      """#
    )
  }

  @Test("a scenario playing at 100x30: the presenter layout, the step and its outcome")
  func scenario() {
    check(
      SnapshotStates.scenario, 100, 30,
      #"""
       vCPU 0/1  L1  SMM  kvm-2020 kvm:on cpuid:on native:on  ▶ smm-tamper 1/3                     ? help
      ╭ Registers ───────────────────────────────────────────── pinned high: CR0 WP · CR4 UMIP SMEP SMAP ╮
      │ CR0 0x0000000000050032  WP 1                                                                     │
      │ CR4 0x0000000000000000  SMAP 0  SMEP 0  UMIP 0                                                   │
      ╰ EFER 0x0  CR3 0xb41c000 ─────────────────────────────────────────────────────────────────────────╯
      ╭ Scenario smm-tamper ─────────────────────────────────────────────────────────────────── step 1/3 ╮
      │ Tampering with the saved CR4 in SMRAM stops the VM                                               │
      │ RSM restores CR4 through a checked write, outside SMM: the pin check fails, the RSM emulation    │
      │ fails, and KVM exits to the VMM with an internal error. The commit message claims SMRAM is fixed │
      │ up instead; the code fails the RSM (D1).                                                         │
      ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
      ╭ step 1/3 ran ────────────────────────────────────────────────────────────────────────────────────╮
      │ SMM    smi  ok                                                                                   │
      │ SMM    smram cr4, smram.cr4 & ~SMEP  ok                                                          │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                ok — SMRAM.CR4 0x360ef0 → 0x260ef0                                │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │ next ▸ rsm  (+5 checks)                                                                          │
      │ n run it  p back  a autoplay  PgUp PgDn narration                                                │
      ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
       n next  p back  a auto  s RSM  Spc toggle  H/L pin  +/-/= host  u undo  : command   ? help  q quit
      """#
    )
  }

}
