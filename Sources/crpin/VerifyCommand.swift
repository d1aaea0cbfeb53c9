import ArgumentParser
import Engine
import RealKVM

#if canImport(Glibc)
  import Glibc
#endif

/// `crpin verify [--scripts N] [--seed S] [--length L]`: random scripts on the model and on this
/// machine's /dev/kvm; every kind of divergence shrunk to a shortest reproducing script.
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Hold the model against this machine's real KVM with random scripts.",
    discussion: """
      Generates scripts over what the real-KVM backend runs (CR0/CR3/CR4 writes with reserved \
      bits, EFER, the pin MSRs as guest and VMM, reset, boot), runs each on the model and on \
      /dev/kvm, and shrinks each kind of divergence to a shortest script that reproduces it. \
      The report starts with the host's identity and names known host properties as such. \
      Exit status: 0 every difference is explained, 4 an unexplained difference, 2 no usable KVM.
      """
  )

  @Option(help: "How many scripts to generate.")
  var scripts = 200

  @Option(help: "The seed of the generator (the same seed, the same scripts).")
  var seed: UInt64 = 1

  @Option(help: "Statements per script.")
  var length = 20

  func validate() throws {
    guard scripts >= 1, scripts <= 1_000_000 else { throw ValidationError("--scripts must be 1 to 1000000") }
    guard length >= 1, length <= 1000 else { throw ValidationError("--length must be 1 to 1000") }
  }

  func run() throws {
    guard let real = KVMRun.openRealVCPU() else { throw ExitCode(2) }
    var verification = Verification(real: real)
    var generator = ScriptGenerator(seed: seed)
    let progress = isatty(STDERR_FILENO) == 1
    for number in 1...scripts {
      verification.check(generator.script(length: length))
      if progress, number % 10 == 0 || number == scripts { Self.drawProgress(number, of: scripts) }
    }
    if progress { Console.error("") }
    for line in Self.report(verification, host: real.host, seed: seed, length: length) { Console.out(line) }
    throw ExitCode(verification.divergences.contains { $0.hostProperty == nil } ? KVMRun.differStatus : 0)
  }

  /// `\rverify [#######.............] 350/1000 scripts` on standard error.
  static func drawProgress(_ done: Int, of total: Int) {
    let width = 30
    let filled = done * width / total
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    let text = "\rverify [\(bar)] \(done)/\(total) scripts"
    _ = text.withCString { write(STDERR_FILENO, $0, strlen($0)) }
  }

  /// The report: the host, the model, the counts, then each divergence with its shrunk script.
  static func report(_ verification: Verification, host: HostIdentity, seed: UInt64, length: Int) -> [String]
  {
    var lines = KVMReport.identity(host)
    lines.append("")
    lines.append(
      "\(verification.scripts) scripts of \(length) statements (seed \(seed)), each after a boot on both:")
    lines.append("  \(verification.summary.line)")
    for (reason, count) in verification.notRunReasons.sorted(by: { $0.value > $1.value }) {
      lines.append("    not run \(count)×: \(reason)")
    }
    if !verification.startDifferences.isEmpty {
      lines.append(
        "  ✗ the start states differed after boot \(verification.startDifferences.count) times: \(verification.startDifferences[0])"
      )
    }
    let unexplained = verification.divergences.filter { $0.hostProperty == nil }
    lines.append(
      "  \(verification.divergences.count) kinds of divergence, each shrunk to a shortest reproducing script; "
        + "\(unexplained.count) unexplained")
    for (number, divergence) in verification.divergences.enumerated() {
      lines.append("")
      let kind = divergence.hostProperty.map { "known host property \($0)" } ?? "UNEXPLAINED"
      lines.append(
        "\(number + 1). \(kind) — seen \(divergence.occurrences) time\(divergence.occurrences == 1 ? "" : "s")"
      )
      lines += divergence.script.map { "     \($0)" }
      lines.append("   last statement: " + divergence.differences.joined(separator: "; "))
    }
    return lines
  }
}
