#if canImport(Glibc)
  import Glibc
#endif

/// Monotonic time in nanoseconds.
func monotonicNanoseconds() -> UInt64 {
  var spec = timespec()
  clock_gettime(CLOCK_MONOTONIC, &spec)
  return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Runs `body` and returns the nanoseconds it took.
func measure(_ body: () -> Void) -> UInt64 {
  let start = monotonicNanoseconds()
  body()
  return monotonicNanoseconds() - start
}

/// The best of `rounds` runs of `body` by `better` (the smallest time, the highest rate).
///
/// This machine is a VM with neighbours: the same loop can take up to twice as long from one
/// run to the next. The best round is the closest to what the code costs, so every in-process figure is
/// the best of several.
func best(of rounds: Int, by better: (Double, Double) -> Bool = (<), _ body: () -> Double) -> Double {
  var result = body()
  for _ in 1..<max(rounds, 1) {
    let next = body()
    if better(next, result) { result = next }
  }
  return result
}

/// `best(of:)` for two loops measured in turn (A B A B …), so that a drift of the machine's
/// speed during the rounds moves both alike: the best time of each, and the median of the
/// ratios A/B of each pair of rounds (the ratio a comparison of the two should quote).
func pairedBest(of rounds: Int, _ a: () -> Double, _ b: () -> Double) -> (a: Double, b: Double, ratio: Double)
{
  var bestA = Double.infinity
  var bestB = Double.infinity
  var ratios: [Double] = []
  for _ in 0..<max(rounds, 1) {
    let timeA = a()
    let timeB = b()
    bestA = min(bestA, timeA)
    bestB = min(bestB, timeB)
    ratios.append(timeA / timeB)
  }
  ratios.sort()
  return (bestA, bestB, ratios[ratios.count / 2])
}

/// Keeps a value alive and opaque to the optimizer.
@inline(never)
func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }
