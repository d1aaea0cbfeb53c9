import ArgumentParser
import Engine
import Script

/// `crpin compare SCENARIO|PATH [--format text|jsonl|markdown] [--mechanism M]… [--kernel LIST]
/// [--kvm LIST]`: one script under every mechanism (and the chosen versions).
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Run the same steps under every pinning mechanism and print a matrix.",
    usage: """
      crpin compare <target> [--format <format>] [--mechanism <M> ...]
                    [--kernel <list>] [--kvm <list>]
      """,
    discussion: """
      Columns: kvm-2020 (the default), kvm-rfc2, heki, vtl1, native, none. Each column starts \
      from a VM created under that mechanism and booted (as `option mechanism M` then `boot`), \
      then runs the script. Cells: ok, #GP, #UD, #PF, dropped, restored+warned (native pinning \
      put the bits back), VM stops (KVM exited to the VMM), ok, forced / ok, rewritten (KVM \
      changed the result silently), read 0x… and RAX … for reads and hypercalls. Then each \
      mechanism's CR0, CR4 and the pins in force.

      Versions: --kernel 5.8,5.9 and --kvm 5.8,6.4 (MAJOR.MINOR lists; each defaults to 5.8) \
      make a column per mechanism and version (kvm-2020, kvm-2020@kvm6.4, heki, \
      heki@kvm6.4), a mechanism's versions side by side; a label names only the versions other than 5.8 \
      (heki@linux5.9+kvm6.4). Each version column's VM is created with those versions \
      (as `option kernel X`, `option kvm Y`) and booted. --mechanism M (repeat) keeps fewer \
      mechanisms, e.g. `crpin compare compare-rop --mechanism kvm-2020 --mechanism heki \
      --kvm 5.8,6.4` for four columns.

      Plain `expect` lines are not checked; `expect[heki] ok` is checked in every heki column. \
      Exit status: 0, 1 when an `expect[M]` line failed, 2 on a usage, parse or run error.
      """
  )

  /// `--format`.
  enum Format: String, CaseIterable, ExpressibleByArgument {
    case text, jsonl, markdown
  }

  @Argument(
    help: "A built-in scenario's id (see `crpin scenarios`), a script's path, or - for standard input.",
    completion: Completions.scenarioOrScript)
  var target: String

  @Option(help: "Output format: text, jsonl (crpin run's records plus `mechanism`) or markdown.")
  var format: Format = .text

  @Option(
    name: .customLong("mechanism"),
    help: ArgumentHelp(
      "A design to compare (repeat for more): kvm-2020, kvm-rfc2, heki, vtl1, native, none. Default: all.",
      valueName: "M"),
    completion: Completions.mechanisms)
  var mechanisms: [MechanismArgument] = []

  @Option(
    help: ArgumentHelp(
      "Guest Linux versions, comma-separated (5.8,5.9; 5.3 or later): a column per mechanism and version.",
      valueName: "list"))
  var kernel: String?

  @Option(
    help: ArgumentHelp(
      "Host KVM versions, comma-separated (5.8,6.4; 5.8 or later): a column per mechanism and version.",
      valueName: "list"))
  var kvm: String?

  func validate() throws {
    _ = try columns()
  }

  /// The columns the options ask for: the mechanisms (all by default) times the versions.
  func columns() throws -> [Comparison.Column] {
    var chosen: [Mechanism] = []
    for mechanism in mechanisms.isEmpty ? Mechanism.allCases : mechanisms.map(\.mechanism)
    where !chosen.contains(mechanism) {
      chosen.append(mechanism)
    }
    let kernels = try kernel.map { try VersionArgument.list($0, kvm: false) } ?? [.seedBase]
    let kvms = try kvm.map { try VersionArgument.list($0, kvm: true) } ?? [.seedBase]
    return Comparison.Column.product(chosen, kernels: kernels, kvms: kvms)
  }

  func run() throws {
    guard let (text, path, title) = resolveTarget() else { throw ExitCode(2) }
    if let message = StatementCap.excess(text, path: path, limit: StatementCap.compare, command: "compare") {
      Console.error(message)
      throw ExitCode(2)
    }
    let comparison: Comparison
    switch Comparison.run(text, columns: try columns()) {
    case .failure(let error):
      Console.error(error.rendered(path: path, sourceLine: ScriptLines.line(error.line, of: text)))
      throw ExitCode(2)
    case .success(let result): comparison = result
    }
    if format == .text, let title { Console.out(title + "\n") }
    let output = comparison.rendered(ComparisonFormat(rawValue: format.rawValue) ?? .text)
    if !output.isEmpty { Console.out(output) }
    for (column, error) in comparison.errors {
      Console.error(
        error.rendered(path: "\(path) (under \(column))", sourceLine: ScriptLines.line(error.line, of: text)))
    }
    for failure in comparison.failures {
      Console.error(
        "\(path):\(failure.failure.line): expectation failed under \(failure.column): "
          + "\(failure.failure.text): \(failure.failure.result.message)")
    }
    throw ExitCode(comparison.exitCode)
  }

  /// The script's text, the path for messages, and a title line for scenarios; `nil` after
  /// reporting why there is none.
  private func resolveTarget() -> (String, String, String?)? {
    if target == "-" || InputFile.exists(target) {
      do {
        let source = try ScriptSource.read(target)
        return (source.text, source.displayPath, nil)
      } catch {
        Console.error(error.message)
        return nil
      }
    }
    if let scenario = Scenario.named(target) {
      return (scenario.source, "scenario:\(scenario.id)", "\(scenario.id): \(scenario.title)")
    }
    var message = "error: '\(target)' is neither a file nor a built-in scenario"
    if let suggestion = Scenario.suggestion(for: target) { message += "; did you mean '\(suggestion)'?" }
    Console.error(message + "\n(`crpin scenarios` lists the scenarios)")
    return nil
  }
}
