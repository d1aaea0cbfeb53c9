import Engine

/// `crpin threats`: what an attacker with each capability can still do under each mechanism,
/// every answer computed by running an attack script through the engine.
public enum Threat: String, CaseIterable, Sendable {
  /// A ROP chain that reaches a `mov cr4` gadget (no check after it).
  case rop = "a"
  /// The kernel's own write path, `native_write_cr4()` (called by the chain, or jumped into).
  case kernelPath = "b"
  /// Code execution in SMM: the handler edits the saved CR4 before RSM.
  case smm = "c"
  /// Control of L1's vmcs12: the host CR4 that L1 gets back on a VM-exit from L2.
  case vmcs12 = "d"
  /// A VMM that forgets the pin state on reboot (restores stale pins) or migration (drops them).
  case forgetfulVMM = "e"

  /// What the attacker has.
  public var capability: String {
    switch self {
    case .rop: "a ROP chain reaching mov cr4"
    case .kernelPath: "the kernel's own write path"
    case .smm: "code execution in SMM"
    case .vmcs12: "control of L1's vmcs12"
    case .forgetfulVMM: "a VMM that forgets the pin state"
    }
  }

  /// Where `docs/mechanisms.md` marks the answer for `mechanism` an inference (from the review or
  /// the diff) rather than a stated fact: the cell is labelled `[inference]`.
  public func isInference(under mechanism: Mechanism) -> Bool {
    switch (self, mechanism) {
    case (.smm, .heki), (.vmcs12, .heki), (.vmcs12, .kvmRFC2), (.forgetfulVMM, .heki): true
    default: false
    }
  }

  /// The attack scripts, each run on a VM booted under the mechanism; every one but the reboots
  /// tries to end with CR4.SMEP (bit 20, 0x100000) clear.
  public var attacks: [ThreatAttack] {
    switch self {
    case .rop: [ThreatAttack(label: nil, goal: .smepOff, source: "mov cr4, cr4 & ~SMEP")]
    case .kernelPath: [ThreatAttack(label: nil, goal: .smepOff, source: "kernel write cr4, cr4 & ~SMEP")]
    case .smm:
      [ThreatAttack(label: nil, goal: .smepOff, source: "smi\nsmram cr4, smram.cr4 & ~SMEP\nrsm")]
    case .vmcs12:
      [ThreatAttack(label: nil, goal: .smepOff, source: "vmcs12 host_cr4, cr4 & ~SMEP\nvmentry\nvmexit")]
    case .forgetfulVMM:
      [
        ThreatAttack(label: "reboot keeping stale pins", goal: .bootFails, source: "reboot keep-pins\nboot"),
        ThreatAttack(label: "a correct reboot", goal: .bootFails, source: "reboot\nboot"),
        ThreatAttack(
          label: "migration dropping the pins", goal: .smepOff,
          source: "migrate drop-pins\nmov cr4, cr4 & ~SMEP"),
      ]
    }
  }
}

/// One attack script and what counts as the attacker's success.
public struct ThreatAttack: Sendable {
  /// What the attacker is after.
  public enum Goal: Sendable {
    /// CR4.SMEP clear on the vCPU at the end.
    case smepOff
    /// The guest cannot boot (a denial of service).
    case bootFails
  }

  /// A label when a threat has several attacks (`reboot keeping stale pins`).
  public let label: String?
  /// What the attacker is after.
  public let goal: Goal
  /// The script.
  public let source: String

  /// Runs the script on a VM booted under `mechanism`: the last step's outcome and what the
  /// attacker got, e.g. `#GP: SMEP stays on`, `ok: SMEP off`, `VM stops: SMEP stays on`.
  public func verdict(under mechanism: Mechanism) -> String {
    var driver = ScriptDriver(session: Session(vm: Comparison.startingVM(mechanism)), format: nil)
    var last: StepRecord?
    switch parseScript(source) {
    case .failure(let error): return "error: \(error.message)"
    case .success(let statements):
      for statement in statements {
        if let record = driver.run(statement, emit: { _ in }), record.action != nil { last = record }
        if let error = driver.report.error { return "error: \(error.message)" }
      }
    }
    let session = driver.report.session
    let step = last.flatMap(OutcomeCell.text(for:)) ?? "ok"
    switch goal {
    case .smepOff:
      let smepOff = session.vm.vcpus[0].registers.cr4 & CR4.smep == 0
      if session.vm.stopped { return "\(step): SMEP stays on, the VM is down" }
      return smepOff ? "\(step): SMEP off" : "\(step): SMEP stays on"
    case .bootFails:
      return last?.outcome?.kind == .ok ? "boot ok" : "boot \(step) (the guest cannot boot)"
    }
  }
}

/// The threat matrix: a verdict per threat and mechanism.
public struct ThreatMatrix: Sendable {
  /// The columns.
  public let mechanisms: [Mechanism]
  /// `cells[threat][column]`: the attacks' verdicts joined with `; `.
  public let cells: [Threat: [String]]

  /// Runs every attack under every mechanism.
  public init(mechanisms: [Mechanism] = Mechanism.allCases) {
    self.mechanisms = mechanisms
    var cells: [Threat: [String]] = [:]
    for threat in Threat.allCases {
      cells[threat] = mechanisms.map { mechanism in
        threat.attacks.map { attack in
          (attack.label.map { $0 + ": " } ?? "") + attack.verdict(under: mechanism)
        }.joined(separator: "; ") + (threat.isInference(under: mechanism) ? " [inference]" : "")
      }
    }
    self.cells = cells
  }

  /// Per mechanism: its summary and source, then one line per threat.
  public var text: String {
    var blocks: [String] = []
    let width = (Threat.allCases.map(\.capability.count).max() ?? 0) + 8
    for (column, mechanism) in mechanisms.enumerated() {
      var lines = ["\(mechanism.rawValue) — \(mechanism.summary)"]
      for threat in Threat.allCases {
        let label = "  (\(threat.rawValue)) \(threat.capability)"
        let parts = (cells[threat]?[column] ?? "").split(separator: "; ").map(String.init)
        for (index, part) in parts.enumerated() {
          lines.append(TextTrace.pad(index == 0 ? label : "", width) + part)
        }
      }
      lines.append("  source: \(mechanism.source)")
      blocks.append(lines.joined(separator: "\n"))
    }
    blocks.append(
      "Every answer was computed just now: the attack scripts (crpin threats --scripts) ran on a VM\n"
        + "booted under each mechanism. [inference] marks what docs/mechanisms.md derives rather than reads.")
    return blocks.joined(separator: "\n\n")
  }

  /// A Markdown table: a row per threat, a column per mechanism.
  public var markdown: String {
    func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }
    var lines = [
      row(["attacker"] + mechanisms.map(\.rawValue)),
      row(["---"] + mechanisms.map { _ in "---" }),
    ]
    for threat in Threat.allCases {
      lines.append(row(["(\(threat.rawValue)) \(threat.capability)"] + (cells[threat] ?? [])))
    }
    return lines.joined(separator: "\n")
  }

  /// The attack scripts, as `crpin threats --scripts` prints them.
  public static var scripts: String {
    Threat.allCases.flatMap { threat in
      threat.attacks.map { attack in
        "# (\(threat.rawValue)) \(threat.capability)" + (attack.label.map { ": \($0)" } ?? "") + "\n"
          + attack.source
      }
    }.joined(separator: "\n\n")
  }
}
