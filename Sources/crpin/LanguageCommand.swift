import ArgumentParser
import Script

/// `crpin language` and `crpin help language`: the script language reference, the text the
/// TUI's `:help` shows.
struct LanguageCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "language",
    abstract: "The script language: every statement, expressions, MSR names, exit status.",
    discussion: LanguageHelp.text
  )

  func run() {
    Console.out(LanguageHelp.text)
  }
}
