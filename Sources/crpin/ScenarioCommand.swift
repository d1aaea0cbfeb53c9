import ArgumentParser
import Script

/// `crpin scenario NAME [--format text|jsonl] [--source]`: runs a built-in scenario headless, or
/// prints its script to start an exercise from.
struct ScenarioCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scenario",
    abstract: "Run a built-in scenario headless, narration between the steps.",
    discussion: """
      `crpin scenarios` lists them. Exit status 0 when every expectation holds. With --source, \
      prints the scenario's script instead (a copy to edit: `crpin scenario rop-smep --source \
      > mine.crpin`, then `crpin run mine.crpin`).
      """
  )

  @Argument(help: "The scenario's id, e.g. rop-smep.", completion: Completions.scenarios)
  var name: String

  @Option(help: "Output format: text (with narration) or jsonl.")
  var format: OutputFormat = .text

  @Flag(help: "Print the scenario's script (runnable with `crpin run`) instead of running it.")
  var source = false

  func run() throws {
    guard let scenario = Scenario.named(name) else {
      var message = "error: unknown scenario '\(name)'"
      if let suggestion = Scenario.suggestion(for: name) { message += "; did you mean '\(suggestion)'?" }
      Console.error(message + "\n(`crpin scenarios` lists them)")
      throw ExitCode(2)
    }
    if source {
      // As is: its line numbers stay those of `crpin scenario NAME`'s trace.
      Console.out(scenario.source)
      return
    }
    if format == .text { Console.out("\(scenario.id): \(scenario.title)\n") }
    let status = ScriptExecution.run(
      TextInput(scenario.source), path: "scenario:\(scenario.id)", format: format)
    throw ExitCode(status)
  }
}
