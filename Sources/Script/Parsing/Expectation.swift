import Engine

/// What an `expect` line checks.
public enum Expectation: Equatable, Sendable {
  /// `expect gp`: the previous action's outcome.
  case outcome(OutcomeKind)
  /// `expect rule pin.cr4.high`: the previous action fired this rule.
  case rule(RuleID)
  /// `expect note "pinned CR4 bits changed"`: one of the previous action's notes contains the text.
  case note(String)
  /// `expect cr4 == EXPR`, `expect cr4.SMEP != 1`: a comparison; `equal` false for `!=`.
  case compare(ExpectTarget, equal: Bool, Operand)
}

/// The left side of an `expect … == EXPR`.
public enum ExpectTarget: Equatable, Sendable {
  /// `cr0`, `cr3`, `cr4`, `efer` of the selected vCPU (L2's while L2 runs).
  case register(RegisterName)
  /// `cr4.SMEP`, `WP`: 1 when the bit is set in its register, else 0.
  case bit(BitInfo)
  /// `pins.cr4_high` of the selected vCPU: the pins in force under the mechanism.
  case pins(PinField)
  /// `smram.cr4`: the SMRAM image (in SMM only).
  case smram(RegisterName)
  /// `value`: what the previous action read.
  case value
  /// `smm`: 1 in SMM.
  case smm
  /// `l2`: 1 while L2 runs.
  case l2
  /// `stopped`: 1 when the VM is stopped.
  case stopped

  /// How the target is written in messages: `CR4`, `CR4.SMEP`, `pins.cr4_high`.
  public var displayName: String {
    switch self {
    case .register(let name): name.displayName
    case .bit(let bit): bit.qualifiedName
    case .pins(let field): field.qualifiedName
    case .smram(let name): "SMRAM." + name.displayName
    case .value: "value"
    case .smm: "smm"
    case .l2: "l2"
    case .stopped: "stopped"
    }
  }
}

/// Whether an `expect` line held, and what it found.
public struct ExpectationResult: Equatable, Sendable {
  /// Whether it held.
  public let holds: Bool
  /// What the line asked for, e.g. `#GP` or `CR4 == 0x260ef0`.
  public let expected: String
  /// What was there, e.g. `ok` or `0x360ef0`.
  public let actual: String
  /// Whether the line was not checked: an `expect[MECHANISM]` under another mechanism. A
  /// skipped line holds (it cannot fail) but is not counted as checked.
  public let skipped: Bool

  /// A checked line's result.
  init(holds: Bool, expected: String, actual: String) {
    self.holds = holds
    self.expected = expected
    self.actual = actual
    skipped = false
  }

  /// An `expect[…]` line skipped because `mechanism` is in force.
  init(skipped text: String, mechanism: Mechanism) {
    holds = true
    expected = text
    actual = "not checked under \(mechanism.rawValue)"
    skipped = true
  }

  /// `holds: CR4 == 0x360ef0`, `expected #GP, got ok` or `skipped: not checked under kvm-2020`.
  public var message: String {
    skipped ? "skipped: \(actual)" : holds ? "holds: \(expected)" : "expected \(expected), got \(actual)"
  }
}
