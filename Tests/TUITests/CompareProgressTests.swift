import Engine
import Script
import TUI
import Testing

/// `c` replays the session under every mechanism a slice per update (never the whole of a long
/// session inside one key), shows how far it got, and keeps the result for `c` again.
@Suite("compare pane: computed a slice per update, then cached")
struct CompareProgressTests {
  /// A session whose transcript has `count` statements besides `vcpus 1`'s set-up.
  static func longSession(_ count: Int) -> Driver {
    Driver(AppState(vcpuCount: 1, setup: (0..<count).map { $0 % 2 == 0 ? "set cr4.PCE" : "clear cr4.PCE" }))
  }

  /// The job while the pane is computing, else nil.
  static func job(_ state: AppState) -> CompareJob? {
    if case .compare(let pane) = state.mode, case .computing(let job) = pane.columns { job } else { nil }
  }

  @Test("c on a long transcript does a bounded slice; each tick another; the columns equal crpin compare's")
  func bounded() throws {
    var d = Self.longSession(1_200)
    let budget = CompareJob.statementsPerUpdate
    d.press(.character("c"))
    let first = try #require(Self.job(d.state), "1,200 statements take more than one update")
    #expect(first.done > 0 && first.done <= budget)
    #expect(d.state.comparison == nil)
    #expect(d.screen().text.contains("replaying the session under every mechanism: "))
    var done = first.done
    var updates = 1
    while let job = Self.job(d.state) {
      #expect(job.done - done <= budget)
      done = job.done
      d.send(.key(.right))  // keys still act while it computes
      _ = update(&d.state, tick: 16)
      updates += 1
      #expect(updates < 1_000, "it finishes")
      if updates >= 1_000 { return }
    }
    // 1,200 lines parsed, then 1,200 statements under each of six mechanisms.
    #expect(updates >= (1_200 * 7) / budget)
    let columns = try #require(d.state.comparison)
    let expected = try Comparison.run(d.state.transcript.text).get()
    #expect(columns.replay.rendered(.text) == expected.rendered(.text))
    #expect(columns.replay.rows == expected.rows)
    #expect(columns.replay.finals == expected.finals)
    #expect(columns.statements == d.state.transcript.lines.count)
  }

  @Test("c again on the same transcript is instant; a new step computes afresh")
  func cached() throws {
    var d = Self.longSession(600)
    d.press(.character("c"))
    while Self.job(d.state) != nil { _ = update(&d.state, tick: 16) }
    d.press(.escape)
    d.press(.character("c"))
    #expect(d.state.comparison != nil)
    d.press(.escape, .character(" "))
    d.press(.character("c"))
    #expect(Self.job(d.state) != nil)
  }

  @Test("a short session's columns are there as c returns")
  func short() {
    var d = Driver()
    d.press(.character(" "), .character("c"))
    #expect(d.state.comparison != nil)
    #expect(!d.state.isWorking)
  }
}
