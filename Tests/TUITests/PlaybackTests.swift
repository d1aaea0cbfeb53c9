import Engine
import Script
import Testing
import TUI

@Suite("scenario playback")
struct PlaybackTests {
  @Test("every built-in scenario reads into steps, each with narration first")
  func builtInsParse() {
    #expect(PlaybackScenario.builtIn.count == Scenario.all.count)
    for scenario in PlaybackScenario.builtIn {
      #expect(scenario.problem == nil, "\(scenario.id)")
      #expect(!scenario.steps.isEmpty, "\(scenario.id)")
      #expect(!scenario.introduction.isEmpty, "\(scenario.id)")
    }
  }

  @Test(
    "every built-in scenario plays to the end with every expectation holding",
    arguments: PlaybackScenario.builtIn.map(\.id))
  func playsThrough(id: String) throws {
    var d = Driver()
    d.effects += d.state.startScenario(id: id) ?? []
    let steps = d.state.playback?.scenario.steps.count ?? 0
    for _ in 0..<steps { d.press(.character("n")) }
    #expect(d.state.playback?.isFinished == true)
    #expect(d.state.playback?.failure == nil)
    let failed = d.state.log.flatMap(\.details).filter { $0.text.hasPrefix("✗") }
    #expect(failed.isEmpty, "\(failed.map(\.text))")
  }

  @Test("n steps, p rewinds by replaying, the record follows")
  func stepAndRewind() throws {
    var d = Driver(AppState(isRecording: true))
    d.effects += d.state.startScenario(id: "smm-tamper") ?? []
    #expect(d.state.playback?.position == 0)
    d.press(.character("n"))
    d.press(.character("n"))
    #expect(d.state.playback?.position == 2)
    let afterTwo = d.state.vm
    d.press(.character("n"))
    d.press(.character("p"))
    #expect(d.state.playback?.position == 2)
    #expect(d.state.vm == afterTwo)
    #expect(try replay(d.recorded).vm == afterTwo)
  }

  @Test("n after the user's own actions: a check that fails is logged ✗, recorded as a comment")
  func failedCheckRecordedAsComment() throws {
    var d = Driver(AppState(isRecording: true))
    d.effects += d.state.startScenario(id: "wp-pinned") ?? []
    let steps = d.state.playback?.scenario.steps.count ?? 0
    d.command("host wrmsr CR0_PINNED_HIGH, 0")
    d.command("expect cr0.WP == 0")
    for _ in 0..<steps { d.press(.character("n")) }
    let failed = d.state.log.flatMap(\.details).filter { $0.text.hasPrefix("✗") }
    #expect(failed.count >= 3, "the typed check and the scenario's #GP checks fail once WP is unpinned")
    let comments = d.recorded.filter { $0.hasPrefix("# expect") }
    #expect(comments.count == failed.count, "\(d.recorded)")
    #expect(comments.allSatisfy { $0.contains("(did not hold here: ") })
    #expect(runScript(d.recorded.joined(separator: "\n")).exitCode == 0)
    #expect(try replay(d.recorded).vm == d.state.vm)
  }

  @Test("S opens the picker; Enter plays the highlighted scenario")
  func picker() {
    var d = Driver()
    d.press(.character("S"))
    #expect(d.state.mode.kind == .scenarioPicker)
    d.press(.down, .enter)
    #expect(d.state.mode.kind == .normal)
    #expect(d.state.playback?.scenario.id == Scenario.all[1].id)
  }

  @Test("a starts autoplay; ticks advance a step every interval")
  func autoplay() {
    var d = Driver()
    d.effects += d.state.startScenario(id: "smm-free") ?? []
    d.press(.character("a"))
    #expect(d.state.playback?.autoplay == true)
    d.effects += update(&d.state, tick: Playback.autoplayInterval - 1)
    #expect(d.state.playback?.position == 0)
    d.effects += update(&d.state, tick: 1)
    #expect(d.state.playback?.position == 1)
    d.press(.escape)
    #expect(d.state.playback?.autoplay == false)
  }

  @Test("n without a scenario says how to pick one")
  func noScenario() {
    var d = Driver()
    d.press(.character("n"))
    #expect(d.state.message?.text.contains("S picks one") == true)
  }
}
