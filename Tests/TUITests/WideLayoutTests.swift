import Engine
import Testing

@testable import TUI

/// From 160 columns each bit of the register panel is as wide as its full name, so CR4's full
/// names sit on one row.
@Suite("layouts at 160+ columns")
struct WideLayoutTests {
  @Test(
    "the booted VM at 170x40 after SMM entry: CR4's full names on one row, markers beside intact brackets")
  func wideRegisters() {
    var d = Driver()
    d.press(.character("s"))
    let screen = d.screen(170, 40)
    let labels = screen.line(8)
    for name in ["PKS", "CET", "SMAP", "SMEP", "OSXSAVE", "PCIDE", "FSGSBASE", "OSXMMEXCPT", "OSFXSR", "VME"]
    {
      #expect(labels.contains(name), "\(name) on the label row")
    }
    #expect(screen.line(9).contains("[0]↓"))
    checkGolden(
      d, 170, 40,
      #"""
       crpin  vCPU 0/2  L1  SMM  mech:kvm-2020  kvm-pin:on  cpuid-pin:on  native-pin:on  kernel 5.8 · kvm 5.8                                                            ? help
      ╭ CR0 0x0000000000050032 ─────────────────────────────────────────────────────────────────────────────────────── allowed 0x00010000  ▲ high 0x00010000  ▼ low 0x00000000 ╮
      │ 31  30  29  28-19 18  17  16  15-6   5   4   3   2   1   0    ▲ pinned high ▼ low ◦ free                                                                               │
      │ PG  CD  NW   rsvd AM   ·  WP   rsvd NE  ET  TS  EM  MP  PE    1↑ 0↓ set/cleared now                                                                                    │
      │  0↓  0   0         1   ·   1         1   1   0   0   1   0↓   1↕ put back · reserved                                                                                   │
      │                            ▲                                  [1] cursor !1! #GP                                                                                       │
      ├ CR4 0x0000000000000000 ─────────────────────────────────────────────────────────────────────────────────────── allowed 0x00300800  ▲ high 0x00300800  ▼ low 0x00000000 ┤
      │ 24  23  22   21   20  19    18     17      16    15   14   13   12   11      10        9    8   7   6   5   4   3   2   1   0                                          │
      │ PKS CET PKE SMAP SMEP KL  OSXSAVE PCIDE FSGSBASE  ·  SMXE VMXE LA57 UMIP OSXMMEXCPT OSFXSR PCE PGE MCE PAE PSE DE  TSD PVI VME                                         │
      │  ·   ·   0    0↓  [0]↓ ·     0↓     0↓      0     ·    ·    0    0    0↓      0↓       0↓   0   0↓  0↓  0↓  0↓  0   0   0   0                                          │
      │               ▲    ▲                                                  ▲                                                                                                │
      │                                                                                                                                                                        │
      ╰────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────╯
      ╭ kvm-2020 MSRs vCPU 0 ────────────────────╮╭ CR4.SMEP  bit 20  0x100000 ─────────────────────────────────────────────────────────────────────────────────────────── = 0 ╮
      │ 0x4b564d08 CR0_PIN_ALLOWED 0x00010000    ││ Supervisor Mode Execution Prevention                                                                                       │
      │ 0x4b564d09 CR4_PIN_ALLOWED 0x00300800    ││ The kernel may not execute code in user pages.                                                                             │
      │ 0x4b564d0a CR0_PINNED_LOW  0x00000000    ││ CPUID SMEP yes  pinned HIGH ▲                                                                                              │
      │ 0x4b564d0b CR0_PINNED_HIGH 0x00010000    ││ since [Linux 3.0+] [pinned 5.3+]                                                                                           │
      │ 0x4b564d0c CR4_PINNED_LOW  0x00000000    ││ Toggle now (mov cr4, 0x100000) → ok                                                                                        │
      │ 0x4b564d0d CR4_PINNED_HIGH 0x00300800    ││ · In SMM the patch skips the pin check: outside SMM this CR4 write would #GP.                                              │
      │ EFER 0x0000000000000000                  ││ With SMEP off the kernel can be made to jump to code in a user page (ret2usr): an exploit clears it first, with a ROP      │
      │ CR3  0x000000000b41c000                  ││ chain reaching `mov cr4`.                                                                                                  │
      │                                          ││ [Linux 3.0+] Linux enables SMEP on CPUs that have it (Ivy Bridge, 2012) — Linux 3.0 (2011), "x86, cpu: Enable/disable      │
      │                                          ││   SMEP"                                                                                                                    │
      │                                          ││ [pinned 5.3+] native_write_cr4() puts SMEP back and warns — Linux commits of 2019 (CR4 SMEP/SMAP/UMIP and CR0.WP pinning,  │
      │                                          ││   merged for 5.3), as collected in crpin's teaching reference                                                              │
      │                                          ││                                                                                                                            │
      │                                          ││                                                                                                                            │
      ╰──────────────────────────────────────────╯╰────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────╯
      ╭ Log ───────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────╮
      │ 1 v0 SMM    smi                      ok                                                                                                                                │
      │     CR0 0x80050033 → 0x50032, CR4 0x360ef0 → 0x0, EFER 0xd01 → 0x0, SMM out → in                                                                                       │
      │     D3: The commit message says entering SMM "disables pinned bits"; SMM entry clears CR4 (SMEP, SMAP, UMIP go off) but keeps CR0.WP.                                  │
      │                                                                                                                                                                        │
      │                                                                                                                                                                        │
      │                                                                                                                                                                        │
      │                                                                                                                                                                        │
      │                                                                                                                                                                        │
      ╰ actions and outcomes · PgUp scrolls back ──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────╯
       s RSM  Spc toggle  H/L pin  +/-/= host  u undo  : command  v L2  M mechanism  c compare  S scenarios  T timeline  t kernel write  D discrepancies         ? help  q quit
      """#)
  }

  @Test("a click anywhere on a long name picks its bit, and only its bit")
  func wideClicks() throws {
    let frame = render(AppState(), width: 170, height: 40)
    let row = 8
    let line = Array(frame.screen.line(row).unicodeScalars)
    func start(of name: String) throws -> Int {
      let needle = Array(name.unicodeScalars)
      return try #require(
        (0...(line.count - needle.count)).first { Array(line[$0..<($0 + needle.count)]) == needle })
    }
    let osxmm = try start(of: "OSXMMEXCPT")
    #expect(frame.hitMap.bit(row: row, column: osxmm) == BitCursor(.cr4, 10))
    #expect(frame.hitMap.bit(row: row, column: osxmm + 9) == BitCursor(.cr4, 10))
    let osfxsr = try start(of: "OSFXSR")
    #expect(frame.hitMap.bit(row: row, column: osfxsr) == BitCursor(.cr4, 9))
    #expect(frame.hitMap.bit(row: row, column: osfxsr + 5) == BitCursor(.cr4, 9))
  }
}
