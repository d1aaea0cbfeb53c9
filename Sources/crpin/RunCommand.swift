import ArgumentParser
import Script

/// `crpin run PATH [--format text|jsonl]`: runs a script headless.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a script headless and print a trace.",
    discussion: """
      The script language, every statement with its syntax: `crpin help language` (the TUI's \
      `:help` shows the same). Exit status: 0 every `expect` held, 1 one failed or the run \
      stopped at what only running finds (`smram.cr4` read outside SMM), 2 a usage, parse or \
      input error (nothing runs), 3 standard output could not be written, 4 (--kvm) the \
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
    if kvm { throw ExitCode(runOnKVM()) }
    let file: ScriptFile
    do {
      file = try ScriptFile.open(path)
    } catch {
      Console.error(error.message)
      throw ExitCode(2)
    }
    throw ExitCode(ScriptExecution.run(file, path: file.displayPath, format: format))
  }

  /// `--kvm`: the script read whole (its statements run on the real vCPU beside the model, see
  /// `KVMRun`), not streamed.
  private func runOnKVM() -> Int32 {
    do {
      let source = try ScriptSource.read(path)
      return KVMRun.run(source.text, path: source.displayPath, format: format)
    } catch {
      Console.error(error.message)
      return 2
    }
  }
}

/// Running a script and reporting its end the same way for `run` and `scenario`.
enum ScriptExecution {
  /// Reads `input` twice (`ScriptStream`): a first pass reports a problem and runs nothing,
  /// the second runs each line as it is read, printing the trace to stdout as it is produced
  /// (buffered; flushed when crpin exits) and errors and failed expectations to stderr.
  /// Returns the exit status.
  static func run(_ input: some ScriptInput, path: String, format: OutputFormat) -> Int32 {
    if let problem = ScriptStream.check(input, initialVCPUs: Session().vm.vcpus.count) {
      switch problem {
      case .input(let failure): Console.error(failure.message)
      case .encoding(let failure): Console.error("\(path):\(failure.message)")
      case .script(let error, let source): Console.error(error.rendered(path: path, sourceLine: source))
      }
      return 2
    }
    // Below a terminal, the trace goes out in chunks (`ScriptDriver`'s `chunked`), written on a
    // second thread (`Console.writeInBackground`); on a terminal, each record at once.
    let chunked = !Console.isTerminal
    var driver = ScriptDriver(format: format.trace, chunked: chunked)
    Console.writeInBackground()
    if let failure = ScriptStream.run(
      input, driver: &driver,
      emit: { piece in
        if chunked {
          Console.out(chunk: piece)
        } else {
          piece.withBytes { Console.out(bytes: $0, addingNewline: true) }
        }
      })
    {
      Console.error(failure.message)
      return 2
    }
    let report = driver.report
    if let error = report.error {
      Console.error(error.rendered(path: path, sourceLine: driver.errorSource))
      if error.atRunTime {
        Console.error("\(path): the run stopped at line \(error.line): nothing after it ran")
      }
      return report.exitCode
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
