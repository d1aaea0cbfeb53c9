import ArgumentParser
import Script

/// `crpin run PATH [--format text|jsonl]`: runs a script headless.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a script headless and print a trace.",
    discussion: """
      The script language, every statement with its syntax: `crpin help language` (the TUI's \
      `:help` shows the same). Exit status: 0 every `expect` held, 1 one failed, 2 a usage, \
      parse or input error (nothing runs), 3 standard output could not be written, 4 (--kvm) the \
      model and the real KVM differ.
      """
  )

  @Argument(help: "The script to run, or - to read standard input.", completion: .file())
  var path: String

  @Option(help: "Output format: text (for people) or jsonl (one JSON object per statement).")
  var format: OutputFormat = .text

  @Flag(help: "Also run every statement on this machine's /dev/kvm and mark where it differs (exit 4).")
  var kvm = false

  func run() throws {
    let source: ScriptSource
    do {
      source = try ScriptSource.read(path)
    } catch {
      Console.error(error.message)
      throw ExitCode(2)
    }
    if kvm { throw ExitCode(KVMRun.run(source.text, path: source.displayPath, format: format)) }
    let report = ScriptExecution.run(source.text, path: source.displayPath, format: format)
    throw ExitCode(report)
  }
}

/// Running a script and reporting its end the same way for `run` and `scenario`.
enum ScriptExecution {
  /// Runs `text`, printing the trace to stdout and errors and failed expectations to stderr.
  /// Returns the exit status.
  static func run(_ text: String, path: String, format: OutputFormat) -> Int32 {
    let report = runScript(text, format: format.trace) { Console.out($0) }
    if let error = report.error {
      Console.error(error.rendered(path: path, sourceLine: ScriptLines.line(error.line, of: text)))
      return 2
    }
    if report.session.statementsRun == 0 {
      Console.error(
        "\(path): warning: nothing ran: the script has no statements (only blank lines or comments)")
    }
    for failure in report.failures {
      Console.error("\(path):\(failure.line): expectation failed: \(failure.text): \(failure.result.message)")
    }
    if format == .text {
      let checked = report.expectationsChecked
      let failed = report.failures.count
      if checked > 0 {
        Console.out(
          failed == 0
            ? "\nall \(checked) expectations held"
            : "\n\(failed) of \(checked) expectations FAILED")
      }
    }
    return report.exitCode
  }
}
