import Script
import TUI
import Testing

/// The slide export and the TUI cut a script into the same steps: a slide per step the TUI
/// plays with `n`, numbered as the TUI counts them.
@Suite("slides and the TUI share the steps")
struct SlideChapterTests {
  @Test(
    "every built-in scenario: as many slides as TUI steps, headed Step k/N", arguments: Scenario.all.map(\.id)
  )
  func sameSteps(id: String) throws {
    let scenario = try #require(Scenario.named(id))
    let steps = PlaybackScenario(scenario).steps.count
    let deck = SlideDeck(source: scenario.source, title: scenario.title, origin: scenario.id)
    #expect(deck.sectionCount == steps)
    let headings = deck.markdown.split(separator: "\n").filter { $0.hasPrefix("## Step ") }
    #expect(headings == (1...steps).map { "## Step \($0)/\(steps)" })
  }
}
