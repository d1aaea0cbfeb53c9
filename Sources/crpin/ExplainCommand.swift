import ArgumentParser
import Engine
import Script

/// `crpin explain cr0|cr4 VALUE`, `crpin explain msr NAME|NUMBER`, `crpin explain discrepancies`.
struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Decode a CR0/CR4 value bit by bit, or describe an MSR.",
    discussion: """
      crpin explain cr4 0x360ef0      every set bit: index, mask, name, meaning, CPUID needs
      crpin explain cr0 'cr0 & ~WP'   values as scripts write them (cr0/cr4: the booted guest's)
      crpin explain msr CR4_PINNED_HIGH   or a number: crpin explain msr 0x4b564d0d
      crpin explain discrepancies     where the patches' prose and code disagree (D1-D6, R1-R2)
      """
  )

  /// What to explain.
  enum Subject: String, CaseIterable, ExpressibleByArgument {
    case cr0, cr4, msr, discrepancies
  }

  @Argument(help: "cr0, cr4, msr or discrepancies.")
  var subject: Subject

  @Argument(help: "The value (cr0, cr4) or the MSR's name or number (msr).")
  var value: String = ""

  func validate() throws {
    if subject == .discrepancies, !value.isEmpty {
      throw ValidationError("`explain discrepancies` takes no value")
    }
    if subject != .discrepancies, value.isEmpty {
      throw ValidationError("`explain \(subject.rawValue)` needs a value")
    }
  }

  func run() throws {
    switch subject {
    case .discrepancies:
      Console.out(Explain.discrepancies)
    case .cr0, .cr4:
      switch Explain.value(value) {
      case .success(let number):
        Console.out(Explain.register(subject == .cr0 ? .cr0 : .cr4, value: number))
      case .failure(let error):
        fail(error)
        throw ExitCode(2)
      }
    case .msr:
      switch Explain.msr(value) {
      case .success(let text): Console.out(text)
      case .failure(let error):
        fail(error)
        throw ExitCode(2)
      }
    }
  }

  private func fail(_ error: ScriptError) {
    Console.error(error.rendered(path: "<argument>", sourceLine: value))
  }
}
