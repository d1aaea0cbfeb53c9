import Engine

/// An action written as a statement that parses back to the same action under a given
/// mechanism. `Action.statement` names MSRs as kvm-2020 does; a design whose MSR table names
/// them otherwise (kvm-rfc2: `CR4_PINNED` is 0x4b564d09 there, and `CR4_PIN_ALLOWED`
/// 0x4b564d07) has them written with its names (`MSRReference.displayName`).
public enum StatementText {
  /// The statement for `action` when `mechanism` is in force as it runs.
  public static func of(_ action: Action, under mechanism: Mechanism) -> String {
    guard MSRReference.renamesMSRs(mechanism) else { return action.statement }
    func name(_ msr: UInt32) -> String { MSRReference.displayName(msr, under: mechanism) }
    switch action {
    case .wrmsr(let msr, let value): return "wrmsr \(name(msr)), \(Hex.short(value))"
    case .rdmsr(let msr): return "rdmsr \(name(msr))"
    case .hostWrmsr(let msr, let value): return "host wrmsr \(name(msr)), \(Hex.short(value))"
    case .hostRdmsr(let msr): return "host rdmsr \(name(msr))"
    default: return action.statement
    }
  }

  /// `of(action, under: mechanism)` appended to `out` (a guest MOV, the trace's commonest, is
  /// written without building a string).
  static func append(_ action: Action, under mechanism: Mechanism, to out: inout TraceBuffer) {
    guard case .mov(let register, let value) = action else {
      return out.append(of(action, under: mechanism))
    }
    out.append("mov ")
    out.append(register.rawValue)
    out.append(", ")
    out.append(hex: value)
  }

  /// A hypercall's return value as the guest reads RAX: `0x0`, `0x1`, or `-EINVAL` / `-ENOSYS`
  /// (64-bit, or truncated to 32 bits outside long mode) followed by the raw value.
  public static func hypercallResult(_ rax: UInt64) -> String {
    let short = hypercallShort(rax)
    return short.hasPrefix("-") ? "\(short) (\(Hex.short(rax)))" : short
  }

  /// A hypercall's return value in short: `0x0`, `0x1`, `-EINVAL`, `-ENOSYS`.
  public static func hypercallShort(_ rax: UInt64) -> String {
    let errors: [(String, Int64)] = [("-EINVAL", -22), ("-ENOSYS", -1000)]
    for (name, code) in errors {
      let wide = UInt64(bitPattern: code)
      if rax == wide || rax == wide & 0xffff_ffff { return name }
    }
    return Hex.short(rax)
  }
}

extension Session {
  /// `action` as a statement that `run(line:lineNumber:)` parses back to the same action under
  /// the mechanism in force now (for recorders such as the TUI's transcript).
  public func statement(for action: Action) -> String {
    StatementText.of(action, under: vm.options.mechanism)
  }
}
