/// Switching the pinning design.
extension VirtualMachine {
  /// `option mechanism NAME`: takes effect at once on the whole VM; every design's pins and
  /// intercepts are cleared and none are set — only later statements pin.
  mutating func switchMechanism(to mechanism: Mechanism, into outcome: inout Outcome) {
    options.mechanism = mechanism
    design = Self.freshDesign(for: options, vcpuCount: vcpus.count)
    outcome.notes.append(
      "Mechanism \(mechanism.rawValue): \(mechanism.summary). Every pin and intercept was "
        + "cleared; `boot`, the MSRs, the hypercall or `vtl1 intercept` set new ones.")
  }
}
