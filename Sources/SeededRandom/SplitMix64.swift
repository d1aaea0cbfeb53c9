/// SplitMix64 (Steele, Lea and Flood): a tiny deterministic generator. The benchmark, the
/// property tests and the robustness tests draw from it so that every run, and every failure,
/// repeats exactly.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// A generator whose stream is fixed by `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next value of the stream.
  public mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}
