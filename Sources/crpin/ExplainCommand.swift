import ArgumentParser

/// Stub, replaced by its owner.
struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "explain")
}
