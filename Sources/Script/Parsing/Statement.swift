import Engine

/// One statement of a script, parsed and checked but not yet evaluated: expressions are
/// evaluated when it runs.
public struct ParsedStatement: Equatable, Sendable {
  /// The 1-based line number.
  public let line: Int
  /// The statement as written, trimmed, without its comment (for narration: the narration).
  public let text: String
  /// What it does.
  public let command: Command
  /// The column of the statement's operand (the N of `vcpu N`), for errors found later.
  let operandColumn: Int

  init(line: Int, text: String, command: Command, operandColumn: Int = 1) {
    self.line = line
    self.text = text
    self.command = command
    self.operandColumn = operandColumn
  }
}

/// What a statement does.
public enum Command: Equatable, Sendable {
  /// `vcpus N`: a fresh VM with N booted vCPUs (first statement only).
  case vcpus(Int)
  /// `vcpu N`: select vCPU N.
  case selectVCPU(Int)
  /// An action on the VM, its values still to evaluate.
  case action(ActionTemplate)
  /// `expect …`.
  case expect(Expectation)
  /// A `#>` narration line: text for the trainer, no effect on the VM.
  case narration(String)

  /// The operation's name, as JSON lines report it in `op`: `mov`, `host wrmsr`, `vcpu`.
  public var op: String {
    switch self {
    case .vcpus: "vcpus"
    case .selectVCPU: "vcpu"
    case .action(let template): template.op
    case .expect: "expect"
    case .narration: "narration"
    }
  }
}

/// A value as written: the expression and the column it starts at (for evaluation errors).
public struct Operand: Equatable, Sendable {
  /// The expression.
  public let expression: Expression
  /// Its 1-based column.
  public let column: Int
}

/// An `Action` whose values are expressions, plus the read-modify-write forms `set`/`clear`.
public enum ActionTemplate: Equatable, Sendable {
  /// An action with nothing to evaluate (`smi`, `rdmsr EFER`, `option kvm-pin off`…).
  case fixed(Action)
  /// `mov cr4, EXPR`.
  case mov(ControlRegister, Operand)
  /// `kernel write cr4, EXPR`.
  case kernelWrite(PinnableRegister, Operand)
  /// `wrmsr MSR, EXPR`.
  case wrmsr(UInt32, Operand)
  /// `host wrmsr MSR, EXPR`.
  case hostWrmsr(UInt32, Operand)
  /// `smram cr4, EXPR`.
  case smram(RegisterName, Operand)
  /// `vmcs12 host_cr4, EXPR`.
  case vmcs12(VMCS12Field, Operand)
  /// `set cr4.SMEP` (`on`) or `clear cr0.WP`: a guest MOV of the current value with the bit
  /// changed.
  case setBit(BitInfo, on: Bool)

  /// The operation's name: the statement's keywords (`mov`, `kernel write`, `host rdmsr`).
  public var op: String {
    switch self {
    case .fixed(let action):
      switch action {
      case .mov: "mov"
      case .kernelWrite: "kernel write"
      case .wrmsr: "wrmsr"
      case .rdmsr: "rdmsr"
      case .hostWrmsr: "host wrmsr"
      case .hostRdmsr: "host rdmsr"
      case .smi: "smi"
      case .rsm: "rsm"
      case .smram: "smram"
      case .vmcs12: "vmcs12"
      case .vmentry: "vmentry"
      case .vmexit: "vmexit"
      case .reset: "reset"
      case .reboot: "reboot"
      case .migrate: "migrate"
      case .boot: "boot"
      case .kexec: "kexec"
      case .option, .mechanism, .hostCR: "option"
      case .hypercallLockCR: "hypercall"
      case .vtl1Intercept: "vtl1 intercept"
      case .vtl1Policy: "vtl1 policy"
      case .execUser: "exec user"
      case .accessUser: "access user"
      case .stac: "stac"
      case .clac: "clac"
      case .hostSregs: "host sregs"
      }
    case .mov: "mov"
    case .kernelWrite: "kernel write"
    case .wrmsr: "wrmsr"
    case .hostWrmsr: "host wrmsr"
    case .smram: "smram"
    case .vmcs12: "vmcs12"
    case .setBit(_, let on): on ? "set" : "clear"
    }
  }

  /// The concrete action against `vcpu` as it is now.
  func resolve(on vcpu: VCPU, line: Int) throws(ScriptError) -> Action {
    func value(_ operand: Operand) throws(ScriptError) -> UInt64 {
      try operand.expression.evaluate(on: vcpu, line: line, column: operand.column)
    }
    switch self {
    case .fixed(let action): return action
    case .mov(let register, let operand): return .mov(register, try value(operand))
    case .kernelWrite(let register, let operand): return .kernelWrite(register, try value(operand))
    case .wrmsr(let msr, let operand): return .wrmsr(msr, try value(operand))
    case .hostWrmsr(let msr, let operand): return .hostWrmsr(msr, try value(operand))
    case .smram(let register, let operand): return .smram(register, try value(operand))
    case .vmcs12(let field, let operand): return .vmcs12(field, try value(operand))
    case .setBit(let bit, let on):
      let register = bit.register.controlRegister
      let current = vcpu.registers[register.register]
      return .mov(register, on ? current | bit.mask : current & ~bit.mask)
    }
  }
}
