import ArgumentParser
import Script

/// `crpin threats`: per mechanism, what each attacker can still do — computed, not typed.
struct ThreatsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "threats",
    abstract: "Per mechanism, what an attacker with each capability can still do (computed).",
    discussion: """
      (a) a ROP chain reaching mov cr4, (b) the kernel's own write path, (c) code execution in \
      SMM, (d) control of L1's vmcs12, (e) a VMM that forgets the pin state on reboot or \
      migration. Every answer comes from running a built-in attack script through the engine on \
      a VM booted under the mechanism (--scripts prints them); the attacker's goal is CR4.SMEP \
      (bit 20, 0x100000) clear, or, for the reboot, a guest that cannot boot.
      """
  )

  /// `--format`.
  enum Format: String, CaseIterable, ExpressibleByArgument {
    case text, markdown
  }

  @Option(help: "Output format: text (a block per mechanism) or markdown (a table).")
  var format: Format = .text

  @Flag(help: "Print the attack scripts instead.")
  var scripts = false

  func run() {
    if scripts {
      Console.out(ThreatMatrix.scripts)
      return
    }
    let matrix = ThreatMatrix()
    Console.out(format == .text ? matrix.text : matrix.markdown)
  }
}
