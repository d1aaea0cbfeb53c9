import ArgumentParser

/// Stub, replaced by its owner.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "run")
}
