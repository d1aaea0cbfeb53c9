import ArgumentParser
import Engine
import Script

/// `crpin check`: would a recorded guest survive the pins?
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check a recording against every pinning design.",
    subcommands: [CheckTraceCommand.self]
  )
}

/// `crpin check trace FILE|- [--mechanism M …]`.
struct CheckTraceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trace",
    abstract: "Which of a traced guest's writes each pinning design would refuse or change.",
    discussion: """
      Imports the trace as `crpin import trace` does, replays it on a guest booted under each \
      design, and compares each action's outcome with the recording host's (no CR pinning). \
      Prints, per phase (boot, CPU bring-up, later), the actions some design refuses or changes, \
      then the first action each design would have broken, then what the trace cannot show.
      Exit status: 0 when no design checked breaks an action, 1 when one does, 2 when the input \
      is not a KVM trace, 3 when standard output cannot be written.
      """
  )

  @Argument(help: "The trace: a text file, or - for standard input.")
  var path: String

  @Option(
    name: .customLong("mechanism"),
    help: ArgumentHelp(
      "A design to check (repeat for more): kvm-2020, kvm-rfc2, heki, vtl1, native, none. Default: all.",
      valueName: "M"),
    completion: Completions.mechanisms)
  var mechanisms: [MechanismArgument] = []

  func run() throws {
    guard let (trace, display) = TraceInput.read(path) else { throw ExitCode(2) }
    let script = TraceImporter.script(for: trace, options: TraceImportOptions(source: display))
    var chosen: [Mechanism] = []
    for mechanism in mechanisms.isEmpty ? Mechanism.allCases : mechanisms.map(\.mechanism)
    where !chosen.contains(mechanism) {
      chosen.append(mechanism)
    }
    let check = TraceCheck.run(trace, script, mechanisms: chosen)
    Console.out(String(check.rendered(trace: trace, notes: script.notes, source: display).dropLast()))
    throw ExitCode(check.exitCode)
  }
}
