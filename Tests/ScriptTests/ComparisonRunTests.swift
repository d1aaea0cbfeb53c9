import Engine
import Script
import Testing

/// `ComparisonRun` computes in slices exactly what `Comparison.run` computes at once.
@Suite("comparison in slices")
struct ComparisonRunTests {
  /// Runs `source` `budget` statements at a time, checking that no slice does more.
  static func sliced(_ source: String, budget: Int, keeping kept: Comparison.Kept = .everything)
    -> Result<Comparison, ScriptError>?
  {
    var run = ComparisonRun(source, keeping: kept)
    for _ in 0..<100_000 {
      if let result = run.result { return result }
      let work = run.advance(by: budget)
      #expect(work <= budget)
      #expect(run.done <= run.total)
    }
    return nil
  }

  @Test(
    "every built-in scenario, 7 statements a slice: the same matrix, records and exit status",
    arguments: Scenario.all.map(\.id))
  func scenarios(id: String) throws {
    let source = try #require(Scenario.named(id)).source
    let whole = try Comparison.run(source).get()
    let sliced = try #require(Self.sliced(source, budget: 7)).get()
    #expect(sliced.rendered(.text) == whole.rendered(.text))
    #expect(sliced.rendered(.jsonl) == whole.rendered(.jsonl))
    #expect(sliced.exitCode == whole.exitCode)
    #expect(sliced.expectationsChecked == whole.expectationsChecked)
  }

  @Test("failed expect[M] lines, a column stopped by an error, a parse error")
  func edges() throws {
    let failing = "clear cr4.SMEP\nexpect[heki, vtl1] gp\nvcpu 0\nkernel write cr4, 0x260ef0"
    let sliced = try #require(Self.sliced(failing, budget: 1)).get()
    let whole = try Comparison.run(failing).get()
    #expect(sliced.rows == whole.rows && sliced.failures.count == whole.failures.count)
    let lean = try #require(Self.sliced(failing, budget: 3, keeping: .cellsOnly)).get()
    #expect(lean.rows == whole.rows && lean.finals == whole.finals)
    #expect(lean.cellRecords.allSatisfy(\.isEmpty) && lean.jsonLines.isEmpty)
    let stopping = "clear cr4.SMEP\nmov cr4, smram.cr4\nclear cr0.WP"
    let stopped = try #require(Self.sliced(stopping, budget: 2)).get()
    #expect(stopped.errors.count == Mechanism.allCases.count)
    #expect(try stopped.rendered(.text) == Comparison.run(stopping).get().rendered(.text))
    #expect(stopped.rows.count == 1)
    guard case .failure(let error)? = Self.sliced("clear cr4.SMEP\nclear cr4.SMEPP", budget: 1) else {
      Issue.record("a parse error")
      return
    }
    #expect(error.line == 2)
  }
}
