import ArgumentParser
import Script

/// `crpin scenarios`: the built-in scenarios, one a line.
struct ScenariosCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scenarios",
    abstract: "List the built-in teaching scenarios."
  )

  func run() {
    let width = (Scenario.all.map(\.id.count).max() ?? 0) + 2
    for scenario in Scenario.all {
      Console.out(scenario.id + String(repeating: " ", count: width - scenario.id.count) + scenario.title)
    }
  }
}
