import ArgumentParser
import Engine
import Script

/// `crpin explain cr0|cr2|cr3|cr4|efer|eflags VALUE`, `crpin explain --from FILE|-`,
/// `crpin explain msr NAME|NUMBER`, `crpin explain discrepancies`.
struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Decode a register value or a pasted register dump, or describe an MSR.",
    usage: """
      crpin explain <subject> [<value>]  [--format <format>] [--cr4 <cr4>]
      crpin explain cr0|cr4 <value>  [--kernel <x.y>] [--kvm <x.y>]
      crpin explain --from <file> [--format <format>]
      """,
    discussion: """
      crpin explain cr4 0x360ef0         every set bit: mask, meaning, CPUID, badges
      crpin explain cr0 'cr0 & ~WP'      a value as scripts write it (booted guest's)
      crpin explain eflags 0x40246       EFLAGS: AC (bit 18, for SMAP), IOPL, …
      crpin explain cr3 0xb41c801 --cr4 0x360ef0
                                         CR3: the PCID (with CR4.PCIDE), KPTI's bits
      crpin explain cr4 0x370ef0 --kernel 5.9 --kvm 6.4
                                         known, reserved, pinned, guest-owned bits
      crpin explain efer 0xd01           EFER
      crpin explain --from oops.txt      the registers in a Linux oops or QEMU's or
                                         gdb's `info registers` (- standard input)
      crpin explain --from - --format json
                                         {"cr4": {"value": "0x…", "set": […]}, …}
      crpin explain msr CR4_PINNED_HIGH  an MSR by name, or a number (0x4b564d0d)
      crpin explain discrepancies        where the patches' prose and code disagree

      The version badges say since when Linux has a bit, with the source. Without --kernel \
      and --kvm, known and reserved bits are KVM 5.8's (the patch's base); with either (the \
      other stays 5.8), each CR0/CR4 bit also gets the chosen versions' facts, each with its \
      source, and the value what native pinning would put back (also with --from). Versions \
      are MAJOR.MINOR (--kernel 5.3 or later, --kvm 5.8 or later). Exit status: 0 \
      decoded; 1 --from found no register in the text; 2 a usage error, a bad value or an \
      unreadable file.
      """
  )

  /// What to explain.
  enum Subject: String, CaseIterable, ExpressibleByArgument {
    case cr0, cr2, cr3, cr4, efer, eflags, msr, discrepancies

    /// The register, for the register subjects.
    var register: DumpRegister? { DumpRegister(rawValue: rawValue) }
  }

  /// `--format text|json`.
  enum Format: String, CaseIterable, ExpressibleByArgument {
    case text, json
  }

  @Argument(help: "cr0, cr2, cr3, cr4, efer, eflags, msr or discrepancies (none with --from).")
  var subject: Subject?

  @Argument(help: "The value (a register) or the MSR's name or number (msr).")
  var value: String = ""

  @Option(help: "Decode the registers found in this file (- for standard input).", completion: .file())
  var from: String?

  @Option(help: "Output format for registers: text or json.")
  var format: Format = .text

  @Option(name: .customLong("cr4"), help: "With cr3: the CR4 alongside (says whether bits 11:0 are a PCID).")
  var cr4Context: String?

  @Option(
    help: ArgumentHelp(
      "cr0/cr4 for this guest Linux version (MAJOR.MINOR, 5.3 or later): native pinning's mask and values.",
      valueName: "x.y"))
  var kernel: String?

  @Option(
    help: ArgumentHelp(
      "cr0/cr4 for this host KVM version (MAJOR.MINOR, 5.8 or later): known and guest-owned bits.",
      valueName: "x.y"))
  var kvm: String?

  /// The versions `--kernel` and `--kvm` chose (validated in `validate()`).
  private var versions: ExplainVersions {
    ExplainVersions(kernel: kernel.flatMap { LinuxVersion($0) }, kvm: kvm.flatMap { LinuxVersion($0) })
  }

  func validate() throws {
    try VersionArgument.validate(kernel: kernel, kvm: kvm)
    if kernel != nil || kvm != nil, let subject, subject != .cr0, subject != .cr4 {
      throw ValidationError("--kernel and --kvm go with `explain cr0`, `explain cr4` and --from")
    }
    if from != nil {
      if subject != nil || !value.isEmpty {
        throw ValidationError("`explain --from FILE` takes no subject: it finds the registers itself")
      }
      if cr4Context != nil { throw ValidationError("--cr4 goes with `explain cr3`, not --from") }
      return
    }
    guard let subject else {
      throw ValidationError(
        "say what to explain: a register (cr0 cr2 cr3 cr4 efer eflags), msr, discrepancies, or --from FILE")
    }
    if subject == .discrepancies, !value.isEmpty {
      throw ValidationError("`explain discrepancies` takes no value")
    }
    if subject != .discrepancies, value.isEmpty {
      throw ValidationError("`explain \(subject.rawValue)` needs a value")
    }
    if format == .json, subject.register == nil {
      throw ValidationError("--format json is for registers and --from")
    }
    if cr4Context != nil, subject != .cr3 { throw ValidationError("--cr4 goes with `explain cr3`") }
  }

  func run() throws {
    if let from {
      try explainDump(from)
      return
    }
    switch subject {
    case .discrepancies?:
      Console.out(Explain.discrepancies)
    case .msr?:
      switch Explain.msr(value) {
      case .success(let text): Console.out(text)
      case .failure(let error):
        fail(error, argument: value)
        throw ExitCode(2)
      }
    case let subject?:
      guard let register = subject.register else { return }
      let number = try evaluate(value)
      let cr4 = try cr4Context.map(evaluate)
      let explained = Explain.explained(register, value: number, cr4: cr4, versions: versions)
      Console.out(format == .json ? Explain.json([(explained, nil)]) : explained.text)
    case nil:
      return
    }
  }

  private func explainDump(_ path: String) throws {
    let text: String
    do {
      text = try PastedText.read(path)
    } catch {
      Console.error(error.message)
      throw ExitCode(2)
    }
    let dump = RegisterDump(scanning: text)
    guard !dump.findings.isEmpty else {
      Console.error("\(path == "-" ? "<stdin>" : path): " + Explain.nothingFound)
      throw ExitCode(1)
    }
    if format == .json {
      Console.out(
        Explain.json(Explain.explained(dump, versions: versions).map { ($0.register, $0.finding.line) }))
    } else {
      Console.out(Explain.dumpText(dump, versions: versions))
    }
  }

  private func evaluate(_ text: String) throws -> UInt64 {
    switch Explain.value(text) {
    case .success(let number): return number
    case .failure(let error):
      fail(error, argument: text)
      throw ExitCode(2)
    }
  }

  private func fail(_ error: ScriptError, argument: String) {
    Console.error(error.rendered(path: "<argument>", sourceLine: argument))
  }
}
