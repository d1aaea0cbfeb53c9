import ArgumentParser
import Engine
import Script

/// `crpin import`: turn something recorded elsewhere into a crpin script.
struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Turn a recording into a crpin script.",
    subcommands: [ImportTraceCommand.self]
  )
}

/// `crpin import trace FILE|- [-o SCRIPT] [--mechanism M]`.
struct ImportTraceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trace",
    abstract: "Write a crpin script that replays a KVM trace's CR and MSR writes.",
    discussion: """
      Reads the text of /sys/kernel/tracing/trace, `trace-cmd report` (the KVM plugin's formats \
      too) or `perf script`, recorded with `trace-cmd record -e kvm` or `perf record -e 'kvm:*'`, \
      and writes a script: per vCPU, each kvm_cr write as a guest `mov` of the value asked for, \
      EFER and pin-MSR accesses, SMM entry and exit, nested entries and exits, Heki's hypercall; \
      the trace's own outcomes as `expect[none]` lines; timestamp, rip and trace line as comments. \
      Lines not used are counted (stderr and the script's last comments). See README "Importing \
      KVM traces" for the starting state and the notes.
      Exit status: 0, 2 when the input is not a KVM trace (binary, empty, no KVM events) or -o \
      names what crpin will not write (as for `crpin export`), 3 when writing the script or \
      standard output failed.
      """
  )

  @Argument(help: "The trace: a text file, or - for standard input.")
  var path: String

  @Option(
    name: .shortAndLong,
    help: "Write the script to this file (a regular file is replaced atomically) instead of standard output.")
  var output: String?

  @Option(
    help: ArgumentHelp(
      "Replay under this mechanism with `crpin run` (writes `option mechanism M` and boots every vCPU; "
        + "`none` replays the trace as recorded). Default: the mechanism in force.",
      valueName: "M"),
    completion: Completions.mechanisms)
  var mechanism: MechanismArgument?

  func run() throws {
    guard let (trace, display) = TraceInput.read(path) else { throw ExitCode(2) }
    let script = TraceImporter.script(
      for: trace, options: TraceImportOptions(source: display, mechanism: mechanism?.mechanism))
    if let output {
      // As the exports write: never over a device, a FIFO or the trace itself (`OutputTarget`).
      do throws(OutputTarget.Failure) {
        try OutputTarget.resolve(output, input: path == "-" ? nil : path).write(script.text)
      } catch {
        Console.error(error.message)
        throw ExitCode(error.status)
      }
    } else {
      Console.out(String(script.text.dropLast()))
    }
    var summary =
      "\(display): \(trace.dialect.rawValue), \(trace.events.count) KVM events read, \(script.replayed) replayed"
    if let unused = trace.unusedSummary { summary += "; " + unused }
    Console.error(summary)
  }
}
