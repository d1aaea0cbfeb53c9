import Engine
import Script

/// One statement of a script run on the model and on the real KVM.
public struct DualStep: Sendable {
  /// What the model did (the trace's record).
  public let record: StepRecord
  /// What the real KVM did; nil for statements with no action (`vcpu`, `expect`).
  public let real: RealOutcome?
  /// Whether they agree; nil when there was nothing to compare.
  public let agreement: Agreement?
}

/// The counts `--kvm` and `verify` report: every statement that ran an action in the model.
public struct AgreementSummary: Equatable, Sendable {
  public var statements = 0
  public var agree = 0
  public var differ = 0
  /// Of `differ`: explained by a known host property.
  public var hostProperty = 0
  /// Of `differ`: the registers already differed before the statement.
  public var followOn = 0
  public var notRun = 0

  public init() {}

  /// Of `differ`: neither a known host property nor a follow-on.
  public var unexplained: Int { differ - hostProperty - followOn }

  mutating func count(_ agreement: Agreement) {
    statements += 1
    switch agreement {
    case .agree: agree += 1
    case .differ(_, let explanation):
      differ += 1
      switch explanation {
      case .hostProperty?: hostProperty += 1
      case .followsEarlierDifference?: followOn += 1
      case nil: break
      }
    case .notRun: notRun += 1
    }
  }

  mutating func add(_ other: AgreementSummary) {
    statements += other.statements
    agree += other.agree
    differ += other.differ
    hostProperty += other.hostProperty
    followOn += other.followOn
    notRun += other.notRun
  }

  /// `12 statements: 9 agree, 2 differ (1 known host property, 1 follow-on, 0 unexplained), 1
  /// not run on this backend`.
  public var line: String {
    "\(statements) statement\(statements == 1 ? "" : "s"): \(agree) agree, \(differ) differ"
      + (differ > 0
        ? " (\(hostProperty) known host propert\(hostProperty == 1 ? "y" : "ies"), \(followOn) "
          + "follow\(followOn == 1 ? "s" : "") an earlier difference, \(unexplained) unexplained)" : "")
      + ", \(notRun) not run on this backend"
  }
}

/// A model session and the real vCPU, kept side by side: each statement runs on the model,
/// then its action (as the model resolved it) on the real vCPU of the selected vCPU 0.
public struct DualSession {
  /// The real vCPU.
  public let real: RealVCPU
  /// The model, with the host's comparison options.
  public private(set) var session: Session
  /// The counts so far.
  public private(set) var summary = AgreementSummary()
  /// A difference between the model's and the real start state after boot, if any.
  public let startDifference: String?
  /// The model's options at the start (the host's comparison options).
  private let startOptions: VMOptions
  /// Whether the model and the real vCPU are apart beyond their registers: after a difference,
  /// or a statement that only the model ran and that changed its state, until a `reset`,
  /// `boot` or `reboot` on which they agree.
  private var apart = false

  /// Resets and boots the real vCPU (crpin's boot path) next to a freshly booted model.
  public init(real: RealVCPU) {
    self.real = real
    let options = real.host.comparisonOptions
    startOptions = options
    session = Session(vm: VirtualMachine(bootedWith: 1, options: options))
    _ = real.run(.reset)
    let booted = real.run(.boot, pinAtBoot: options.kvmPin)
    let model = session.vm.vcpus[0].registers
    if booted.kind != .ok {
      startDifference = "the real boot path ended " + RealKVMText.outcome(booted)
    } else if let registers = real.registers, registers != model {
      startDifference =
        "after boot: model " + Self.describe(model) + "; real KVM " + Self.describe(registers)
    } else {
      startDifference = nil
    }
  }

  /// `CR0 0x… CR3 0x… CR4 0x… EFER 0x…`.
  public static func describe(_ registers: Registers) -> String {
    RegisterName.allCases.map { "\($0.displayName) \(Hex.short(registers[$0]))" }.joined(separator: " ")
  }

  /// Runs one statement on both. nil for narration.
  public mutating func run(_ statement: ParsedStatement) throws(ScriptError) -> DualStep? {
    let selected = session.selectedVCPU
    let modelBefore = session.vm.vcpus.indices.contains(selected) ? session.vm.vcpus[selected].registers : nil
    let realBefore = real.registers
    let optionsBefore = session.vm.options
    guard let record = try session.run(statement) else { return nil }
    if case .vcpus = statement.command {
      _ = real.run(.reset)
      let booted = real.run(.boot, pinAtBoot: session.vm.options.kvmPin)
      let model = session.vm.vcpus[0].registers
      let agreement: Agreement =
        booted.kind == .ok && booted.registers == model
        ? .agree
        : .differ(
          ["the real boot ended \(RealKVMText.outcome(booted)); model " + Self.describe(model)],
          explanation: nil)
      apart = agreement != .agree
      summary.count(agreement)
      return DualStep(record: record, real: booted, agreement: agreement)
    }
    guard let action = record.action, let outcome = record.outcome, let modelBefore else {
      return DualStep(record: record, real: nil, agreement: nil)
    }
    let real =
      record.vcpu == 0
      ? self.real.run(action, pinAtBoot: session.vm.options.kvmPin) : .notRun("this backend runs vCPU 0 only")
    let alreadyApart =
      apart || optionsBefore != startOptions || (record.vcpu == 0 && realBefore != modelBefore)
    let agreement = Agreement.compare(
      model: outcome, modelBefore: modelBefore, modelAfter: session.vm.vcpus[record.vcpu].registers,
      real: real, alreadyApart: alreadyApart, host: self.real.host, cpu: session.vm.options.cpu,
      action: action)
    switch agreement {
    case .differ: apart = true
    case .notRun: if Self.modelStateChanged(outcome) { apart = true }
    case .agree:
      switch action {
      case .reset, .boot, .reboot: apart = false
      default: break
      }
    }
    summary.count(agreement)
    return DualStep(record: record, real: real, agreement: agreement)
  }

  /// Runs `statement` on the model only: the real vCPU does not follow it (`crpin tui --kvm`
  /// rebuilding a point of its history too long to replay on the real vCPU). The two are apart
  /// from then on, until a `reset`, `boot` or `reboot` on which they agree.
  public mutating func runOnModelOnly(_ statement: ParsedStatement) throws(ScriptError) {
    _ = try session.run(statement)
    apart = true
  }

  /// Whether the action changed anything of vCPU 0 or the VM beyond "it ran": then a statement
  /// only the model ran leaves the two apart.
  static func modelStateChanged(_ outcome: Outcome) -> Bool {
    let before = outcome.before
    let after = outcome.after
    guard var vcpu = before.vcpus.first, let now = after.vcpus.first else { return true }
    vcpu.hasRunSinceReset = now.hasRunSinceReset
    return vcpu != now || before.stopped != after.stopped || before.options != after.options
      || before.nativePinnedCR4 != after.nativePinnedCR4 || before.design != after.design
  }

  /// Parses `source` and runs it on both, handing each step to `each` (with the model's
  /// session after it) as it runs. A parse or run error is thrown before or where it happens.
  public mutating func run(
    source: String, each: (DualStep, Session) -> Void
  ) throws(ScriptError) {
    let statements: [ParsedStatement]
    switch parseScript(source, initialVCPUs: session.vm.vcpus.count) {
    case .failure(let error): throw error
    case .success(let parsed): statements = parsed
    }
    for statement in statements {
      if let step = try run(statement) { each(step, session) }
    }
  }
}
