import Engine

/// The printer: an action written as the statement that parses back to the same action under
/// a given mechanism (MSRs named as that mechanism names them: `CR4_PINNED` is 0x4b564d09 under
/// kvm-rfc2, `CR4_PIN_ALLOWED` under kvm-2020). The statement table (`StatementKind`) writes it.
public enum StatementText {
  /// The statement for `action` when `mechanism` is in force as it runs.
  public static func of(_ action: Action, under mechanism: Mechanism) -> String {
    var out = TraceBuffer()
    StatementKind.write(action, under: mechanism, to: &out)
    return out.text
  }

  /// `of(action, under: mechanism)` appended to `out`, without building a string.
  static func append(_ action: Action, under mechanism: Mechanism, to out: inout TraceBuffer) {
    // The guest MOV, the most frequent action, without a string for the register's name.
    if case .mov(let control, let value) = action {
      switch control {
      case .cr0: out.append("mov cr0, ")
      case .cr3: out.append("mov cr3, ")
      case .cr4: out.append("mov cr4, ")
      }
      out.append(hex: value)
      return
    }
    StatementKind.write(action, under: mechanism, to: &out)
  }

  /// A compound action's sub-step as a statement, under the mechanism in force as `outcome`'s
  /// action ran (a boot under kvm-rfc2 writes `CR0_PINNED`, not kvm-2020's name of its number).
  public static func of(_ step: Step, in outcome: Outcome) -> String {
    of(step.action, under: outcome.mechanismBefore)
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
