import Engine

/// A value in the script language, evaluated when its statement runs, against the selected
/// vCPU's registers at that moment.
public indirect enum Expression: Equatable, Sendable {
  /// A number literal.
  case number(UInt64)
  /// A bit name: its mask (`SMEP` = 0x100000).
  case bit(BitInfo)
  /// A register's current value (`cr4`): L2's while L2 runs.
  case register(RegisterName)
  /// A pin mask's current value (`pins.cr4_high`): the pins in force under the mechanism.
  case pins(PinField)
  /// A value of the SMRAM state-save image (`smram.cr4`): only in SMM.
  case smram(RegisterName)
  /// `~x`.
  case not(Expression)
  /// `x | y`, `x & y`, `x ^ y`, `x << y`, `x >> y`.
  case binary(BinaryOperator, Expression, Expression)
}

/// The binary operators, from loosest to tightest: `|`, `^`, `&`, then `<<` and `>>`.
public enum BinaryOperator: String, Sendable, CaseIterable {
  case or = "|"
  case xor = "^"
  case and = "&"
  case shiftLeft = "<<"
  case shiftRight = ">>"

  var precedence: Int {
    switch self {
    case .or: 1
    case .xor: 2
    case .and: 3
    case .shiftLeft, .shiftRight: 4
    }
  }

  func apply(_ a: UInt64, _ b: UInt64) -> UInt64 {
    switch self {
    case .or: a | b
    case .xor: a ^ b
    case .and: a & b
    case .shiftLeft: b >= 64 ? 0 : a << b
    case .shiftRight: b >= 64 ? 0 : a >> b
    }
  }
}

/// One of the four pin masks of a vCPU, as scripts name them: `pins.cr4_high`.
public enum PinField: String, CaseIterable, Sendable {
  case cr0Low = "cr0_low"
  case cr0High = "cr0_high"
  case cr4Low = "cr4_low"
  case cr4High = "cr4_high"

  /// The mask's value in `pins`.
  public func value(in pins: PinMasks) -> UInt64 {
    switch self {
    case .cr0Low: pins.cr0Low
    case .cr0High: pins.cr0High
    case .cr4Low: pins.cr4Low
    case .cr4High: pins.cr4High
    }
  }

  /// `pins.cr4_high`.
  public var qualifiedName: String { "pins." + rawValue }
}

extension Expression {
  /// The value against vCPU `index` of `vm` as it is now (`pins.X`: the pins in force under
  /// the VM's mechanism, `VirtualMachine.effectivePins`). Throws only for `smram.X` outside SMM.
  func evaluate(in vm: VirtualMachine, on index: Int, line: Int, column: Int) throws(ScriptError) -> UInt64 {
    let vcpu = vm.vcpus[index]
    switch self {
    case .number(let value): return value
    case .bit(let bit): return bit.mask
    case .register(let name): return vcpu.registers[name]
    case .pins(let field): return field.value(in: vm.effectivePins(on: index))
    case .smram(let name):
      guard let image = vcpu.smm?.image else {
        throw ScriptError(
          line: line, column: column,
          message: "smram.\(name.rawValue) is readable only in SMM: run `smi` first", atRunTime: true)
      }
      return image[name]
    case .not(let inner): return ~(try inner.evaluate(in: vm, on: index, line: line, column: column))
    case .binary(let op, let left, let right):
      let a = try left.evaluate(in: vm, on: index, line: line, column: column)
      let b = try right.evaluate(in: vm, on: index, line: line, column: column)
      return op.apply(a, b)
    }
  }
}
