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
    #expect(d.state.mode.kind == .timeline)
    #expect(d.state.mode.selection == 3)
    d.press(.up, .up, .enter)
    #expect(d.state.mode.kind == .normal)
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
    #expect(MemoryLayout<History.Point>.stride <= 24)
  }

  @Test("past the newest 1,024 steps a session is kept every 512; far jumps still come back exactly")
  func thinnedKeyframes() {
    var d = Driver()
    var states: [VirtualMachine] = [d.state.vm]
    for step in 0..<3_000 {
      d.state.cursor = BitCursor(.cr4, [7, 20, 9, 16][step % 4])
      d.press(.character(step % 3 == 0 ? "t" : " "))
      states.append(d.state.vm)
    }
    #expect(d.state.history.points.count == 3_001)
    // The start, 32 in the newest 1,024 steps, and 512, 1024, 1536 before them.
    #expect(d.state.history.keyframeCount == 1 + History.recentSpan / History.keyframeInterval + 3)
    for index in [3_000, 1_977, 1_976, 1_975, 1_537, 1_535, 1_023, 1, 513, 511, 0, 2_500] {
      _ = d.state.jump(to: index)
      #expect(d.state.vm == states[index], "step \(index)")
    }
  }

  @Test("steps of hundreds of statements: no jump replays more than maxReplayLines; each comes back exactly")
  func boundedReplays() {
    let step = (0..<300).map { $0 % 2 == 0 ? "set cr4.PCE" : "clear cr4.PCE" }.joined(separator: "\n")
    let source = (1...12).map { "#> Step \($0).\n" + step }.joined(separator: "\n")
    var d = Driver()
    _ = d.state.startScenario(PlaybackScenario(id: "long-steps", title: "Long steps", source: source))
    var states: [Int: VirtualMachine] = [d.state.history.position: d.state.vm]
    for _ in 0..<12 {
      d.press(.character("n"))
      states[d.state.history.position] = d.state.vm
    }
    #expect(d.state.history.points.count >= 13)
    for index in d.state.history.points.indices {
      #expect(d.state.history.replayLength(at: index) <= History.maxReplayLines, "point \(index)")
    }
    for (index, vm) in states.sorted(by: { $0.key > $1.key }) {
      _ = d.state.jump(to: index)
      #expect(d.state.vm == vm, "point \(index)")
    }
  }

  @Test("the log keeps the newest 1,000 entries; a line says how many older ones were dropped")
  func boundedLog() {
    var d = Driver()
    d.state.cursor = BitCursor(.cr4, 7)  // PGE: every toggle is ok
    let total = AppState.logLimit + AppState.logTrimBatch + 1
    for _ in 0..<total { d.press(.character(" ")) }
    #expect(d.state.log.count == AppState.logLimit)
    #expect(d.state.droppedLogEntries == total - AppState.logLimit)
    #expect(d.state.log.first?.number == total - AppState.logLimit + 1)
    #expect(d.state.log.last?.number == total)
    #expect(!d.screen().text.contains("older entries dropped"))
    d.state.logScroll = 10_000
    #expect(d.screen().text.contains("── 257 older entries dropped to save memory"))
    // The timeline does not need the log: step 1 still shows its statement and outcome.
    let first = TimelineOverlay.describe(d.state, index: 1)
    #expect(first.0 == d.state.history.statements(at: 1).joined())
    #expect(first.1 == .ok)
    // Back to a step whose entries were dropped, then a new step from there.
    _ = d.state.jump(to: 100)
    #expect(d.state.visibleLog.isEmpty)
    #expect(d.state.droppedVisibleLogEntries == 100)
    #expect(d.screen().text.contains("── 100 older entries dropped"))
    d.press(.character(" "))
    #expect(d.state.historyStep == (101, 101))
    #expect(d.state.droppedLogEntries == 100)
    #expect(d.state.log.map(\.number) == [101, 102])
    #expect(d.state.log.first?.statement == "continued from step 100: \(total - 100) later steps dropped")
  }

  @Test("a scenario start is labelled in the timeline by its note, even once the log dropped it")
  func scenarioStartLabel() {
    var d = Driver()
    _ = d.state.startScenario(id: "smm-tamper")
    #expect(TimelineOverlay.describe(d.state, index: 1).0.hasPrefix("scenario smm-tamper: "))
    d.state.cursor = BitCursor(.cr4, 7)
    for _ in 0..<(AppState.logLimit + AppState.logTrimBatch) { d.press(.character(" ")) }
    #expect(d.state.droppedLogEntries > 0)
    #expect(TimelineOverlay.describe(d.state, index: 1).0.hasPrefix("scenario smm-tamper: "))
  }

  @Test(
    "the last step's changes are marked ↑ ↓ after the bits, ↕ where native pinning put one back; the cursor keeps both brackets"
  )
  func changeMarks() {
    var d = Driver()
    d.state.cursor = BitCursor(.cr4, 7)  // PGE
    d.press(.character(" "))
    let cleared = d.screen().line(10)
    #expect(cleared.contains("[0]↓"))
    #expect(!cleared.contains("▼") && !cleared.contains("▲"), "the value row has no pin triangles")
    d.press(.character("l"))  // off the changed bit: the marker follows the value itself
    #expect(d.screen().line(10).contains(" 0↓[1]"))
    d.command("option mechanism native")
    d.command("boot")
    d.state.cursor = BitCursor(.cr4, 20)
    d.press(.character("t"))  // kernel write clearing SMEP: restored
    #expect(d.state.vm.vcpus[0].registers.cr4 & 0x100000 != 0)
    #expect(d.screen().line(10).contains("[1]↕"))
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
       vCPU 0/2  L1  SMM  kvm-2020 kvm:on cpuid:on native:on  kernel 5.8 · kvm 5.8  ◄ 2/3          ? help
      ╭ Timeline  point 2 of 3 ──────────────────────────────────────────────────────────────────────────╮
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
       ↑↓ choose  Enter go to that step  Esc close                                         ? help  q quit
      """#)
  }
}

extension Tag {
  @Tag static var golden: Self
}
