import ArgumentParser

/// `crpin`: see and poke KVM's paravirtual CR0/CR4 pinning. With no subcommand, the TUI.
@main
struct Crpin: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "crpin",
    abstract: "See and poke x86 CR0/CR4 pinning under KVM's paravirtual CR pinning patch.",
    version: Version.line,
    subcommands: [
      TUICommand.self, RunCommand.self, ScenariosCommand.self, ScenarioCommand.self,
      ExplainCommand.self, CompareCommand.self, ThreatsCommand.self, ExportCommand.self,
      VerifyCommand.self, ImportCommand.self, CheckCommand.self, LanguageCommand.self,
    ],
    defaultSubcommand: TUICommand.self
  )
}
