import Engine

/// Whether the model and the real KVM agree on one statement.
public enum Agreement: Equatable, Sendable {
  /// Same outcome, same registers (and the same value for a read).
  case agree
  /// They differ: each difference in a sentence; `explanation` names the known host property
  /// behind it, or says that an earlier difference left the registers apart.
  case differ([String], explanation: Explanation?)
  /// The real KVM did not run it (the reason).
  case notRun(String)

  /// Why a difference is not a defect of the model.
  public enum Explanation: Equatable, Sendable {
    /// A known property of this host's KVM (its id).
    case hostProperty(String)
    /// The two were already apart before this statement: their registers differed, or an
    /// earlier difference, a statement only the model ran, or a model option left them apart.
    case followsEarlierDifference
  }

  /// Compares the model's outcome and the vCPU's registers after it (`model`, `modelAfter`)
  /// with the real one; `modelBefore` holds the registers going in, `alreadyApart` whether the
  /// two were apart before the statement.
  public static func compare(
    model: Outcome, modelBefore: Registers, modelAfter: Registers, real: RealOutcome,
    alreadyApart: Bool, host: HostIdentity, cpu: CPUModel, action: Action
  ) -> Agreement {
    if case .notRun(let reason) = real.kind { return .notRun(reason) }
    var differences: [String] = []
    if !kindsAgree(model.kind, real.kind) {
      differences.append("model \(model.kind.display), real KVM \(real.display)")
    }
    if let registers = real.registers, model.kind != .exit, !real.stopped {
      for name in RegisterName.allCases where registers[name] != modelAfter[name] {
        differences.append(
          "\(name.displayName): model \(Hex.short(modelAfter[name])), real KVM \(Hex.short(registers[name]))")
      }
    }
    if let modelValue = model.value, let realValue = real.value, modelValue != realValue {
      differences.append("read: model \(Hex.short(modelValue)), real KVM \(Hex.short(realValue))")
    }
    if differences.isEmpty { return .agree }
    if alreadyApart { return .differ(differences, explanation: .followsEarlierDifference) }
    let property = host.knownProperties.first { $0.explains(action, modelBefore, model.kind, real.kind, cpu) }
    return .differ(differences, explanation: property.map { .hostProperty($0.id) })
  }

  /// The model's word for the real outcome: ok, #GP = gp, #UD = ud, #PF = pf, a refused ioctl
  /// = rejected, a stopped vCPU = exit, nothing ran on a stopped vCPU = stopped.
  static func kindsAgree(_ model: OutcomeKind, _ real: RealOutcome.Kind) -> Bool {
    switch (model, real) {
    case (.ok, .ok), (.gp, .fault(13)), (.ud, .fault(6)), (.pf, .fault(14)), (.rejected, .refused),
      (.exit, .vcpuStopped), (.stopped, .wasStopped):
      true
    default: false
    }
  }

  /// Whether the two differ.
  public var differs: Bool {
    if case .differ = self { return true }
    return false
  }

  /// Whether the difference is not explained (neither a known host property nor a follow-on).
  public var unexplained: Bool {
    if case .differ(_, nil) = self { return true }
    return false
  }
}

extension RealOutcome {
  /// Whether the vCPU is stopped after it.
  var stopped: Bool {
    switch kind {
    case .vcpuStopped, .wasStopped: true
    default: false
    }
  }
}
