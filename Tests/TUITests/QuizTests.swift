import Engine
import Script
import Testing

@testable import TUI

@Suite("predict mode")
struct QuizTests {
  private func quizDriver() -> Driver {
    var d = Driver(AppState(quiz: true))
    d.effects += d.state.startScenario(id: "compare-rop") ?? []
    return d
  }

  @Test("n asks first; the prediction runs the step and scores it")
  func flow() {
    var d = quizDriver()
    d.press(.character("n"))
    #expect(d.state.mode == .predict)
    #expect(d.state.playback?.position == 0)
    d.press(.character("g"))
    #expect(d.state.mode == .normal)
    #expect(d.state.playback?.position == 1)
    #expect(d.state.quiz?.correct == 1)
    #expect(d.state.quiz?.last?.actual == .gp)
    #expect(d.state.message?.text.hasPrefix("✓ #GP") == true)
    d.press(.character("n"), .character("o"))  // host sregs: ok
    d.press(.character("n"), .character("o"))  // kernel write under kvm-2020: #GP, not ok
    #expect(d.state.quiz?.answered == 3)
    #expect(d.state.quiz?.correct == 2)
    #expect(d.state.message?.text.contains("you said ok; it was #GP") == true)
  }

  @Test("a step's set-up runs before the question; p goes back to before the set-up")
  func setUpFirst() {
    var d = Driver(AppState(quiz: true))
    d.effects += d.state.startScenario(id: "lesson-smep") ?? []
    // Step 1: `option mechanism none`, `boot`, `host sregs cr4=cr4 & ~SMEP` and its two expects
    // (five statements), then `exec user`.
    d.press(.character("n"))
    #expect(d.state.mode == .predict)
    #expect(d.state.playback?.position == 0)
    #expect(d.state.playback?.linesRun == 5)
    #expect(d.state.vm.vcpus[0].registers.cr4 & 0x100000 == 0)
    #expect(d.screen().text.contains("▸ exec user"))
    d.press(.character("o"))
    #expect(d.state.playback?.position == 1)
    #expect(d.state.playback?.linesRun == 0)
    #expect(d.state.quiz?.correct == 1)
    d.press(.character("n"), .escape)
    #expect(d.state.playback?.linesRun == 5)
    d.press(.character("p"))
    #expect(d.state.playback?.position == 1)
    #expect(d.state.playback?.linesRun == 0)
    d.press(.character("p"))
    #expect(d.state.playback?.position == 0)
    #expect(d.state.vm.vcpus[0].registers.cr4 & 0x100000 != 0)
  }

  @Test("Esc goes back without running; keys that predict nothing are ignored; no autoplay")
  func escape() {
    var d = quizDriver()
    d.press(.character("n"), .character("z"))
    #expect(d.state.mode == .predict)
    d.press(.escape)
    #expect(d.state.mode == .normal)
    #expect(d.state.playback?.position == 0)
    d.press(.character("a"))
    #expect(d.state.playback?.autoplay == false)
  }

  @Test("the predict overlay, then the answer and score in the narration", .tags(.golden))
  func snapshots() {
    var d = quizDriver()
    d.press(.character("n"))
    checkGolden(
      d, 100, 30,
      #"""
       vCPU 0/1  L1  kvm-2020 kvm:on cpuid:on native:on  ▶ compare-rop 0/6  quiz 0/0               ? help
      ╭ CR0 0x0000000080050033 ───────────────── allowed 0x00010000  ▲ high 0x00010000  ▼ low 0x00000000 ╮
      │ 31 30 29 28-19 18 17 16 15-6   5  4  3  2  1  0    ▲ pinned high ▼ low ◦ free                    │
      │ PG CD NW  rsvd AM  · WP  rsvd NE ET TS EM MP PE    1↑ 0↓ set/cleared now                         │
      │  1  0  0        1  ·  1        1  1  0  0  1  1    1↕ put back · reserved                        │
      │                       ▲                            [1] cursor !1! #GP                            │
      ├ CR4 0x0000000000360ef0 ───────────────── allowed 0x00300800  ▲ high 0x00300800  ▼ low 0x00000000 ┤
      │ 24 23 22 21 20 19 18 17 16 15 14 13 12 11 10  9  8  7  6  5  4  3  2  1  0                       │
      │ PKS   PKE  SMEP  OSXSV FSGSB SMXE  LA57  OSXMM  PCE   MCE   PSE   TSD   VME                      │
      │    CET  SMAP   KL   PCIDE   ·   VMXE  UMIP  OSFXS  PGE   PAE   DE    PVI                         │
      │  ·  ·  0  1 ╭ Predict ─────────────────────────────────────────────────────────────╮             │
      │           ▲ │ What will this do?                                                   │             │
      ╰ EFER 0xd01  │ ▸ mov cr4, cr4 & ~SMEP                                               │─────────────╯
      ╭ Scenario com│                                                                      │─── step 0/6 ╮
      │ The SMEP att│ o ok  g #GP  u #UD  f #PF  x VM exit  d dropped  r rejected  s       │             │
      │ One script, │ stopped  w restored+warned                                           │ each        │
      │ mechanism an│                                                                      │der kvm-2020 │
      │ only. Each `│ Esc back without running it                                          │kvm-2020,    │
      │ patch 2/4 (M│                                                                      │he draft's   │
      │ … (more than╰ score 0/0 ───────────────────────────────────────────────────────────╯             │
      │ next ▸ mov cr4, cr4 & ~SMEP  (+8 checks)                                                         │
      │ n predict it  p back  a autoplay                                                                 │
      ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
      ╭ Log ─────────────────────────────────────────────────────────────────────────────────────────────╮
      │ 1 ── scenario compare-rop: The SMEP attack under every mechanism: run it with `crpin compare     │
      │     compare-rop`                                                                                 │
      │                                                                                                  │
      │                                                                                                  │
      ╰ actions and outcomes · PgUp scrolls back ────────────────────────────────────────────────────────╯
       o ok  g #GP  u #UD  f #PF  x VM exit  d dropped  w restored  r rejected  Esc not yet
      """#, function: "quizAsk()")
    d.press(.character("o"))
    checkGolden(
      d, 100, 30,
      #"""
       vCPU 0/1  L1  kvm-2020 kvm:on cpuid:on native:on  ▶ compare-rop 1/6  quiz 0/1               ? help
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
      ╰ EFER 0xd01  CR3 0xb41c000  pin MSRs: the masks above ────────────────────────────────────────────╯
      ╭ Scenario compare-rop ────────────────────────────────────────────────────────────────── step 1/6 ╮
      │ The SMEP attack under every mechanism: run it with `crpin compare compare-rop`                   │
      │ Under native and none the gadget won. The VMM puts SMEP back (KVM_SET_SREGS, no checks) so step  │
      │ 2 starts from the same CR4 everywhere.                                                           │
      │                                                                                                  │
      │                                                                                                  │
      │ ✗ predicted ok, mov cr4, cr4 & ~SMEP → #GP  score 0/1                                            │
      │ next ▸ host sregs cr4=cr4 | SMEP  (+1 check)                                                     │
      │ n predict it  p back  a autoplay                                                                 │
      ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
      ╭ Log ─────────────────────────────────────────────────────────────────────────────────────────────╮
      │ 2 guest  mov cr4, cr4 & ~SMEP     #GP                                                            │
      │     pin.cr4.high: CR4.SMEP (bit 20, 0x100000) is pinned high: the write would clear it.          │
      │     ✓ expect[kvm-2020, kvm-rfc2, heki] gp                                                        │
      │     ✓ expect[kvm-2020] rule pin.cr4.high                                                         │
      ╰ actions and outcomes · PgUp scrolls back ────────────────────────────────────────────────────────╯
       ✗ you said ok; it was #GP — score 0/1
      """#, function: "quizAnswer()")
  }

  @Test("a restored kernel write is its own answer")
  func restored() throws {
    var session = Session()
    _ = try session.run(line: "option mechanism native", lineNumber: 1)
    _ = try session.run(line: "boot", lineNumber: 2)
    let record = try #require(try session.run(line: "kernel write cr4, cr4 & ~SMEP", lineNumber: 3))
    #expect(Prediction(record) == .restored)
  }
}
