import CReferenceModel
import SeededRandom

/// `c_ns_per_write`: the same pseudo-random MOVs to CR4 as `EngineBench.movCR4`, decided by the
/// tight C model (`Sources/CReferenceModel`) on a booted, pinned vCPU's state.
enum CReferenceBench {
  static func movCR4(writes: Int) -> Double {
    var random = SplitMix64(seed: 1)
    let values = (0..<4096).map { _ in UInt64(0x36_0ef0) ^ (1 << (random.next() % 25)) }
    var vcpu = crpin_ref_vcpu(
      cr0: 0x8005_0033, cr3: 0xb41c000, cr4: 0x36_0ef0, efer: 0xd01,
      cr4_pinned_high: 0x30_0800, cr4_pinned_low: 0, cr4_feature_missing: 0,
      in_smm: 0, in_l2: 0, has_pcid: 1, has_vmx: 1)
    var faults = 0
    let elapsed = measure {
      values.withUnsafeBufferPointer { faults = crpin_ref_run(&vcpu, $0.baseAddress, writes) }
    }
    blackHole(faults)
    return Double(elapsed) / Double(writes)
  }
}
