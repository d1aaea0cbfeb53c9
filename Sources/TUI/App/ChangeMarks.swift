import Engine
import Script

/// What the last step did to the bits, for the markers the register view draws beside them:
/// ↑ set, ↓ cleared, ↕ put back by a layer (native pinning's restore, KVM forcing pinned bits
/// on VM-exit) — symbols, so the change never rests on colour, and arrows, not the triangles
/// ▲ ▼ that mean pinned.
public struct ChangeMarks: Sendable {
  /// The marker of one bit.
  public enum Mark: Equatable, Sendable {
    case set, cleared, putBack

    /// The symbol drawn.
    public var symbol: String {
      switch self {
      case .set: "↑"
      case .cleared: "↓"
      case .putBack: "↕"
      }
    }
  }

  /// Each vCPU's CR0 and CR4 before the step.
  let before: [PinPair]
  /// Bits a layer put back, per vCPU index.
  let putBack: [Int: PinPair]

  /// The marks of a step that started from `before` and ran `records`.
  init(before vm: VirtualMachine, records: [StepRecord]) {
    before = vm.vcpus.map { PinPair(cr0: $0.registers.cr0, cr4: $0.registers.cr4) }
    var putBack: [Int: PinPair] = [:]
    for record in records {
      guard let action = record.action, let outcome = record.outcome, outcome.kind == .ok,
        outcome.after.vcpus.indices.contains(record.vcpu)
      else { continue }
      let after = outcome.after.vcpus[record.vcpu].registers
      var bits = putBack[record.vcpu] ?? .zero
      if case .kernelWrite(let register, let value) = action {
        bits[register] |= value ^ after[register.controlRegister.register]
      }
      if let forced = outcome.forced {
        bits.cr0 |= forced.cr0
        bits.cr4 |= forced.cr4
      }
      if !bits.isZero { putBack[record.vcpu] = bits }
    }
    self.putBack = putBack
  }

  /// The marker of bit `mask` of `register` on vCPU `index`, whose value is now `value`.
  public func mark(_ register: PinnableRegister, mask: UInt64, vcpu index: Int, value: UInt64) -> Mark? {
    if let bits = putBack[index], bits[register] & mask != 0 { return .putBack }
    guard before.indices.contains(index) else { return nil }
    let old = before[index][register]
    if old & mask == value & mask { return nil }
    return value & mask != 0 ? .set : .cleared
  }
}
