import Engine

/// An `Action` whose values are expressions, plus the read-modify-write forms `set`/`clear`.
/// MSR names are resolved when the statement runs (`MSRReference`).
public enum ActionTemplate: Equatable, Sendable {
  /// An action with nothing to evaluate (`smi`, `option kvm-pin off`, `vtl1 policy drop`…).
  case fixed(Action)
  /// `mov cr4, EXPR`.
  case mov(ControlRegister, Operand)
  /// `kernel write cr4, EXPR`.
  case kernelWrite(PinnableRegister, Operand)
  /// `wrmsr MSR, EXPR`.
  case wrmsr(MSRReference, Operand)
  /// `rdmsr MSR`.
  case rdmsr(MSRReference)
  /// `host wrmsr MSR, EXPR`.
  case hostWrmsr(MSRReference, Operand)
  /// `host rdmsr MSR`.
  case hostRdmsr(MSRReference)
  /// `smram cr4, EXPR`.
  case smram(RegisterName, Operand)
  /// `vmcs12 host_cr4, EXPR`.
  case vmcs12(VMCS12Field, Operand)
  /// `set cr4.SMEP` (`on`) or `clear cr0.WP`: a guest MOV of the current value with the bit
  /// changed.
  case setBit(BitInfo, on: Bool)
  /// `option host-cr0 EXPR`, `option host-cr4 EXPR`.
  case hostCR(PinnableRegister, Operand)
  /// `hypercall lock_cr cr0|cr4|N, EXPR [, EXPR]`: the CR number, the bits, the flags.
  case hypercallLockCR(cr: UInt64, bits: Operand, flags: Operand?)
  /// `vtl1 intercept cr0|cr4, EXPR`.
  case vtl1Intercept(PinnableRegister, Operand)
  /// `host sregs cr0=EXPR cr3=EXPR cr4=EXPR efer=EXPR`: the registers given, in any order.
  case hostSregs([SregsValue])

  /// The operation's name: the statement's keywords (`mov`, `kernel write`, `host rdmsr`).
  public var op: String {
    switch self {
    case .fixed(let action): StatementKind(action).op
    case .mov: StatementKind.mov.op
    case .kernelWrite: StatementKind.kernelWrite.op
    case .wrmsr: StatementKind.wrmsr.op
    case .rdmsr: StatementKind.rdmsr.op
    case .hostWrmsr: StatementKind.hostWrmsr.op
    case .hostRdmsr: StatementKind.hostRdmsr.op
    case .smram: StatementKind.smram.op
    case .vmcs12: StatementKind.vmcs12.op
    case .setBit(_, let on): (on ? StatementKind.set : .clear).op
    case .hostCR: StatementKind.option.op
    case .hypercallLockCR: StatementKind.hypercall.op
    case .vtl1Intercept: StatementKind.vtl1Intercept.op
    case .hostSregs: StatementKind.hostSregs.op
    }
  }

  /// Whether the statement computes a value (an expression, `set`/`clear`), so a trace shows
  /// the action as evaluated.
  var computesValue: Bool {
    switch self {
    case .fixed, .rdmsr, .hostRdmsr: false
    case .setBit: true
    case .wrmsr(_, let operand), .hostWrmsr(_, let operand), .mov(_, let operand),
      .kernelWrite(_, let operand), .smram(_, let operand),
      .vmcs12(_, let operand), .hostCR(_, let operand), .vtl1Intercept(_, let operand):
      !operand.isNumber
    case .hypercallLockCR(_, let bits, let flags): !bits.isNumber || flags?.isNumber == false
    case .hostSregs(let values): values.contains { !$0.operand.isNumber }
    }
  }

  /// The concrete action on vCPU `index` of `vm` as it is now: expressions evaluated against
  /// its registers and pins, MSR names resolved under the mechanism in force.
  func resolve(in vm: VirtualMachine, on index: Int, line: Int) throws(ScriptError) -> Action {
    func value(_ operand: Operand) throws(ScriptError) -> UInt64 {
      try operand.expression.evaluate(in: vm, on: index, line: line, column: operand.column)
    }
    let mechanism = vm.options.mechanism
    switch self {
    case .fixed(let action): return action
    case .mov(let register, let operand): return .mov(register, try value(operand))
    case .kernelWrite(let register, let operand): return .kernelWrite(register, try value(operand))
    case .wrmsr(let msr, let operand): return .wrmsr(msr.resolve(under: mechanism), try value(operand))
    case .rdmsr(let msr): return .rdmsr(msr.resolve(under: mechanism))
    case .hostWrmsr(let msr, let operand):
      return .hostWrmsr(msr.resolve(under: mechanism), try value(operand))
    case .hostRdmsr(let msr): return .hostRdmsr(msr.resolve(under: mechanism))
    case .smram(let register, let operand): return .smram(register, try value(operand))
    case .vmcs12(let field, let operand): return .vmcs12(field, try value(operand))
    case .setBit(let bit, let on):
      let register = bit.register.controlRegister
      let current = vm.vcpus[index].registers[register.register]
      return .mov(register, on ? current | bit.mask : current & ~bit.mask)
    case .hostCR(let register, let operand): return .hostCR(register, try value(operand))
    case .hypercallLockCR(let cr, let bits, let flags):
      let flagsValue: UInt64 = if let flags { try value(flags) } else { 0 }
      return .hypercallLockCR(cr: cr, bits: try value(bits), flags: flagsValue)
    case .vtl1Intercept(let register, let operand): return .vtl1Intercept(register, try value(operand))
    case .hostSregs(let values):
      var registers: [RegisterName: UInt64] = [:]
      for field in values { registers[field.register] = try value(field.operand) }
      return .hostSregs(
        cr0: registers[.cr0], cr3: registers[.cr3], cr4: registers[.cr4], efer: registers[.efer])
    }
  }
}

/// One `NAME=EXPR` of `host sregs`.
public struct SregsValue: Equatable, Sendable {
  /// `cr0`, `cr3`, `cr4` or `efer`.
  public let register: RegisterName
  /// The value.
  public let operand: Operand
}

extension Operand {
  /// Whether the value is a plain number literal.
  var isNumber: Bool {
    if case .number = expression { return true }
    return false
  }
}
