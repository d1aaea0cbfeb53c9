import ArgumentParser

/// Stub, replaced by its owner.
struct ScenarioCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "scenario")
}
