import ArgumentParser

/// Stub, replaced by its owner.
struct ScenariosCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "scenarios")
}
