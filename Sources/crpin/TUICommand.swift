import ArgumentParser

/// Stub, replaced by its owner.
struct TUICommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "tui")
}
