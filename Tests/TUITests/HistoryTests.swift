import Engine
import Script
import Testing

@testable import TUI

@Suite("history: timeline, jumps, branches, memory")
struct HistoryTests {
  @Test("T opens the timeline on the current step; Enter jumps; the record follows the step shown")
  func timelineJump() throws {
    var d = Driver(AppState(isRecording: true))
    d.press(.character("s"))  // smi
    d.press(.character(" "))  // mov cr4 in SMM
    d.press(.character("s"))  // rsm
    #expect(d.state.historyStep == (3, 3))
    d.press(.character("T"))
    #expect(d.state.mode == .timeline)
    #expect(d.state.timelineSelection == 3)
    d.press(.up, .up, .enter)
    #expect(d.state.mode == .normal)
    #expect(d.state.historyStep == (1, 3))
    #expect(d.state.currentVCPU.inSMM)
    #expect(d.state.visibleLog.count == 1)
    #expect(d.effects.last == .rewriteRecord(["vcpus 2", "smi"]))
    #expect(try replay(d.recorded).vm == d.state.vm)
  }

  @Test("acting from a past step drops the later steps, their log entries, and says so")
  func branch() throws {
    var d = Driver(AppState(isRecording: true))
    d.press(.character("s"), .character("s"), .character("r"))
    d.press(.character("u"), .character("u"))
    #expect(d.state.historyStep == (1, 3))
    d.press(.character("b"))
    #expect(d.state.historyStep == (2, 2))
    #expect(d.state.log.contains { $0.statement.contains("continued from step 1: 2 later steps dropped") })
    #expect(d.state.transcript.lines == ["vcpus 2", "smi", "boot"])
    #expect(d.recorded == ["vcpus 2", "smi", "boot"])
    #expect(try replay(d.recorded).vm == d.state.vm)
  }

  @Test("every past state comes back exactly, across keyframes, after 100 steps")
  func exactStates() {
    var d = Driver()
    var states: [VirtualMachine] = [d.state.vm]
    for step in 0..<100 {
      d.state.cursor = BitCursor(.cr4, [7, 20, 9, 16][step % 4])
      d.press(.character(step % 3 == 0 ? "t" : " "))
      states.append(d.state.vm)
    }
    #expect(d.state.history.keyframeCount <= 100 / History.keyframeInterval + 2)
    for index in [99, 64, 33, 32, 31, 1, 0, 50, 100] {
      _ = d.state.jump(to: index)
      #expect(d.state.vm == states[index], "step \(index)")
    }
  }

  @Test("10,000 toggles keep a point of a few integers each, a session every 32")
  func cheapPoints() {
    var d = Driver()
    for step in 0..<2_000 { d.press(.character(step % 2 == 0 ? " " : "l")) }
    #expect(d.state.history.points.count == 1_001)
    #expect(d.state.history.keyframeCount == 1 + 1_000 / History.keyframeInterval)
    #expect(MemoryLayout<History.Point>.stride <= 48)
  }

  @Test("the last step's changes are marked ▲ ▼ beside the bits, ⟲ where native pinning put one back")
  func changeMarks() {
    var d = Driver()
    d.state.cursor = BitCursor(.cr4, 7)  // PGE
    d.press(.character(" "))
    #expect(d.screen().line(10).contains("0▼"))
    d.command("option mechanism native")
    d.command("boot")
    d.state.cursor = BitCursor(.cr4, 20)
    d.press(.character("t"))  // kernel write clearing SMEP: restored
    #expect(d.state.vm.vcpus[0].registers.cr4 & 0x100000 != 0)
    #expect(d.screen().line(10).contains("[1⟲"))
  }

  @Test("the timeline at 100x30", .tags(.golden))
  func timelineSnapshot() {
    var d = Driver()
    d.press(.character("s"), .character(" "), .character("s"))
    d.press(.character("u"))
    d.press(.character("T"))
    checkGolden(
      d, 100, 30,
      #"""
       vCPU 0/2  L1  SMM  kvm-2020 kvm:on cpuid:on native:on  ⏮ step 2/3                           ? help
      ╭ Timeline  step 2 of 3 ───────────────────────────────────────────────────────────────────────────╮
      │   0    start                                                                                     │
      │   1    smi                                                                      ok               │
      │ ● 2    mov cr4, 0x100000                                                        ok               │
      │   3    rsm                                                                      ok (later)       │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      │                                                                                                  │
      ╰ ↑↓ choose  Enter go there  Esc close — acting from a past step drops the later ones ─────────────╯
       ↑↓ choose  Enter go to that step  Esc close
      """#)
  }
}

extension Tag {
  @Tag static var golden: Self
}
