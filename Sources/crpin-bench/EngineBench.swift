import Engine
import SeededRandom

/// `engine_ns_per_write`: guest writes applied (not previewed) to a booted, pinned VM, through
/// `step` (the decision and the change of state) and through `apply` (plus the explanation).
enum EngineBench {
  /// How a write is applied.
  enum Path { case step, apply }

  /// A guest MOV to CR4 from a pseudo-random stream of one-bit flips of the booted value: about
  /// a third break a pin (#GP), the rest succeed or hit another rule.
  static func movCR4(writes: Int, path: Path = .step) -> Double {
    var random = SplitMix64(seed: 1)
    let values = (0..<4096).map { _ in UInt64(0x36_0ef0) ^ (1 << (random.next() % 25)) }
    var vm = VirtualMachine(bootedWith: 1)
    var faults = 0
    let elapsed = measure {
      values.withUnsafeBufferPointer { values in
        faults =
          switch path {
          case .step: stepLoop(&vm, values, writes)
          case .apply: applyLoop(&vm, values, writes)
          }
      }
    }
    blackHole(faults)
    return Double(elapsed) / Double(writes)
  }

  /// `writes` steps of MOVs of `values[i & 4095]`; how many took #GP. Shaped as the C
  /// reference's `crpin_ref_run`: a function of its own, reading its values through a pointer,
  /// so that where its loop lands in the binary does not depend on the code around it.
  @inline(never)
  static func stepLoop(_ vm: inout VirtualMachine, _ values: UnsafeBufferPointer<UInt64>, _ writes: Int)
    -> Int
  {
    var faults = 0
    for index in 0..<writes where vm.step(.mov(.cr4, values[index & 4095]), on: 0) == .gp {
      faults += 1
    }
    return faults
  }

  /// `stepLoop` through `apply`.
  @inline(never)
  static func applyLoop(_ vm: inout VirtualMachine, _ values: UnsafeBufferPointer<UInt64>, _ writes: Int)
    -> Int
  {
    var faults = 0
    for index in 0..<writes where vm.apply(.mov(.cr4, values[index & 4095]), on: 0).kind == .gp {
      faults += 1
    }
    return faults
  }

  /// A guest WRMSR to `CR4_PINNED_HIGH` with pseudo-random subsets of the allowed bits.
  static func wrmsrPin(writes: Int) -> Double {
    var random = SplitMix64(seed: 2)
    let values = (0..<4096).map { _ in random.next() & 0x30_0800 }
    var vm = VirtualMachine(bootedWith: 1)
    var faults = 0
    let elapsed = measure {
      for index in 0..<writes {
        if vm.step(.wrmsr(MSRNumber.cr4PinnedHigh, values[index & 4095]), on: 0) == .gp {
          faults += 1
        }
      }
    }
    blackHole(faults)
    return Double(elapsed) / Double(writes)
  }
}
