import ArgumentParser
import Script

/// `crpin scenario NAME [--format text|jsonl]`: runs a built-in scenario headless.
struct ScenarioCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scenario",
    abstract: "Run a built-in scenario headless, narration between the steps.",
    discussion: "`crpin scenarios` lists them. Exit status 0 when every expectation holds."
  )

  @Argument(help: "The scenario's id, e.g. rop-smep.")
  var name: String

  @Option(help: "Output format: text (with narration) or jsonl.")
  var format: OutputFormat = .text

  func run() throws {
    guard let scenario = Scenario.named(name) else {
      var message = "error: unknown scenario '\(name)'"
      if let suggestion = Scenario.suggestion(for: name) { message += "; did you mean '\(suggestion)'?" }
      Console.error(message + "\n(`crpin scenarios` lists them)")
      throw ExitCode(2)
    }
    if format == .text { Console.out("\(scenario.id): \(scenario.title)\n") }
    let status = ScriptExecution.run(scenario.source, path: "scenario:\(scenario.id)", format: format)
    throw ExitCode(status)
  }
}
