import Engine
import SeededRandom

/// Random actions shaped like the ones people try: bit flips of the current value, pin
/// requests of allowed and disallowed bits, SMM and nested round trips, resets.
enum ActionGenerator {
  static let pinMSRs: [UInt32] = [
    MSRNumber.cr0PinAllowed, MSRNumber.cr4PinAllowed, MSRNumber.cr0PinnedLow,
    MSRNumber.cr0PinnedHigh, MSRNumber.cr4PinnedLow, MSRNumber.cr4PinnedHigh,
  ]

  static func flip(_ value: UInt64, _ rng: inout SplitMix64) -> UInt64 {
    switch rng.next() % 8 {
    case 0: rng.next()
    case 1: value ^ (1 << (rng.next() % 64))
    default: value ^ (1 << (rng.next() % 25))
    }
  }

  static func pinValue(_ rng: inout SplitMix64) -> UInt64 {
    let interesting: [UInt64] = [0, CR0.wp, CR4.smep, CR4.smap, CR4.umip, 0x30_0800, CR4.pae, rng.next()]
    return interesting[Int(rng.next() % UInt64(interesting.count))] | (rng.next() % 4 == 0 ? CR4.smep : 0)
  }

  static func next(for vm: VirtualMachine, _ rng: inout SplitMix64) -> Action {
    let registers = vm.vcpus[0].registers
    let msr = pinMSRs[Int(rng.next() % UInt64(pinMSRs.count))]
    switch rng.next() % 20 {
    case 0...4: return .mov(.cr4, flip(registers.cr4, &rng))
    case 5...7: return .mov(.cr0, flip(registers.cr0, &rng))
    case 8: return .mov(.cr3, rng.next() % 3 == 0 ? rng.next() : registers.cr3 ^ 0x1000)
    case 9, 10: return .wrmsr(msr, pinValue(&rng))
    case 11: return .hostWrmsr(msr, pinValue(&rng))
    case 12: return rng.next() % 2 == 0 ? .smi : .rsm
    case 13: return .smram(.cr4, flip(vm.vcpus[0].smm?.image.cr4 ?? registers.cr4, &rng))
    case 14: return rng.next() % 2 == 0 ? .vmentry : .vmexit
    case 15: return .vmcs12(.hostCR4, flip(registers.cr4, &rng))
    case 16:
      return rng.next() % 2 == 0
        ? .kernelWrite(.cr4, flip(registers.cr4, &rng)) : .kernelWrite(.cr0, flip(registers.cr0, &rng))
    case 17: return rng.next() % 4 == 0 ? .reset : .boot
    case 18: return .wrmsr(MSRNumber.efer, flip(registers.efer, &rng))
    default: return .option(.nativePin, rng.next() % 2 == 0)
    }
  }

  /// Runs `count` random walks of `length` actions from the booted VM, calling `check` with
  /// the state before each action, the action and its outcome.
  /// `setup` runs on each walk's booted VM before the walk (a design, a policy, options).
  static func walk(
    seed: UInt64, count: Int = 200, length: Int = 60, setup: [Action] = [],
    _ check: (VirtualMachine, Action, Outcome) -> Void
  ) {
    var rng = SplitMix64(seed: seed)
    for _ in 0..<count {
      var vm = VirtualMachine(bootedWith: 1)
      for action in setup { vm.apply(action, on: 0) }
      for _ in 0..<length {
        let action = next(for: vm, &rng)
        let before = vm
        let outcome = vm.apply(action, on: 0)
        check(before, action, outcome)
      }
    }
  }
}
