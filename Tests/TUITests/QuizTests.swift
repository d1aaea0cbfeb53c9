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
    #expect(d.state.mode.kind == .predict)
    #expect(d.state.playback?.position == 0)
    d.press(.character("g"))
    #expect(d.state.mode.kind == .normal)
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
    #expect(d.state.mode.kind == .predict)
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
    #expect(d.state.mode.kind == .predict)
    d.press(.escape)
    #expect(d.state.mode.kind == .normal)
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
      ╭ Registers ───────────────────────────────────────────── pinned high: CR0 WP · CR4 UMIP SMEP SMAP ╮
      │ CR0 0x0000000080050033  WP 1                                                                     │
      │ CR4 0x0000000000360ef0  SMAP 1  SMEP 1  UMIP 1                                                   │
      ╰ EFER 0xd01  CR3 0xb41c000 ───────────────────────────────────────────────────────────────────────╯
      ╭ Scenario compare-rop ────────────────────────────────────────────────────────────────── step 0/6 ╮
      │ The SMEP attack under every mechanism: run it with `crpin compare compare-rop`                   │
      │ One script, an answer per mechanism. `crpin compare compare-rop` runs it on a guest booted under │
      │ each mechanism and prints a column per mechanism; `crpin scenario compare-rop` runs it under     │
      │ kvm-2020 only. Each `expect[M]` line is checked only under the mechanisms it names. Sources:     │
      │ kvm-2020, patch 2/4 (Message-Id 20200617190757.27081-3-john.s.andersen@intel.com); kvm-rfc2, the │
      │ draft's code quoted in Sean Christopherson's review (Message-ID                                  │
      │ 20200303213541.GY1439@linux.intel.com); heki, RFC v3 2/5 (Message-ID                             │
      │ 20240503131910.307630-3-mic@digikod.net); vtl1, the Hyper-V TLFS "Virtual Secure Mode" chapter   │
      │ and LVBS's early VTL1 driver (mshv_vsm_lock_crs); native, Linux 5.3+ native_write_cr4() in       │
      │ arch/x86/kernel/cpu/common.c.                                                                    │
      │ Step 1: a ROP chain reaches a raw `mov cr4` gadget with SMEP (bit 20, 0x100000) clear. Nothing   │
      │ in the guest checks after a raw mov; only a hypervisor can refuse it. kvm-2020 and kvm-rfc2      │
      │ refuse it in kvm_set_cr4, heki in the MOV-to-CR exit handler; VTL1 (LVBS's driver, CR4 mask      │
      │ 0xffffffff) skips the instruction: dropped, no fault.                                            │
      ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
      ╭ Predict ─────────────────────────────────────────────────────────────────────────────────────────╮
      │ What will this do? ▸ mov cr4, cr4 & ~SMEP                                                        │
      │ o ok  g #GP  u #UD  f #PF  x VM exit  d dropped  r rejected  s stopped  w restored+warned        │
      │ Esc back without running it  PgUp PgDn scroll the narration                                      │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      ╰ score 0/0 ───────────────────────────────────────────────────────────────────────────────────────╯
       o ok  g #GP  u #UD  f #PF  x exit  d drop  r reject  s stop  w restore              ? help  q quit
      """#, function: "quizAsk()")
    d.press(.character("o"))
    checkGolden(
      d, 100, 30,
      #"""
       vCPU 0/1  L1  kvm-2020 kvm:on cpuid:on native:on  ▶ compare-rop 1/6  quiz 0/1               ? help
      ╭ Registers ───────────────────────────────────────────── pinned high: CR0 WP · CR4 UMIP SMEP SMAP ╮
      │ CR0 0x0000000080050033  WP 1                                                                     │
      │ CR4 0x0000000000360ef0  SMAP 1  SMEP 1  UMIP 1                                                   │
      ╰ EFER 0xd01  CR3 0xb41c000 ───────────────────────────────────────────────────────────────────────╯
      ╭ Scenario compare-rop ────────────────────────────────────────────────────────────────── step 1/6 ╮
      │ The SMEP attack under every mechanism: run it with `crpin compare compare-rop`                   │
      │ Under native and none the gadget won. The VMM puts SMEP back (KVM_SET_SREGS, no checks) so step  │
      │ 2 starts from the same CR4 everywhere.                                                           │
      ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
      ╭ step 1/6 ran ────────────────────────────────────────────────────────────────────────────────────╮
      │ guest  mov cr4, cr4 & ~SMEP  #GP                                                                 │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │    #GP — pin.cr4.high: CR4.SMEP (bit 20, 0x100000) is pinned high: the write would clear it.     │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │ ✗ predicted ok, mov cr4, cr4 & ~SMEP → #GP  score 0/1                                            │
      │ next ▸ host sregs cr4=cr4 | SMEP  (+1 check)                                                     │
      │ n predict it  p back  a autoplay  PgUp PgDn narration                                            │
      ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
       ✗ you said ok; it was #GP — score 0/1                                               ? help  q quit
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
