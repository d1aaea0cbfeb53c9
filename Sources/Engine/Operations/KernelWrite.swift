/// The guest kernel's `native_write_cr0/cr4()` (Linux 5.8): the `mov` first, then, with native
/// pinning on, a check of the value it wrote that puts missing pinned bits back with a second
/// `mov` and warns once. Both `mov`s go through the hypervisor; a raw `mov` reached by a ROP
/// gadget skips the kernel's check entirely (that is `Action.mov`).
extension VirtualMachine {
  /// The CR4 bits Linux 5.8 pins natively, when the CPU has them.
  static let nativeCR4Mask = CR4.smep | CR4.smap | CR4.umip

  mutating func kernelWrite(
    _ register: PinnableRegister, _ value: UInt64, on index: Int, into outcome: inout Outcome
  ) {
    let function = "native_write_\(register.rawValue)"
    let first: CheckedWrite = write(register.controlRegister, value, on: index)
    record(first, Action.mov(register.controlRegister, value), context: function, into: &outcome)
    outcome.absorb(first, failure: .gp)
    guard first.succeeded || first.dropped else {
      outcome.notes.append(
        "The hypervisor refused the write itself: \(function)'s own check never ran. A #GP in "
          + "the kernel is an oops.")
      return
    }
    guard nativePinningActive, let pinnedCR4 = nativePinnedCR4 else { return }
    let pinned = register == .cr0 ? CR0.wp : pinnedCR4
    let missing = ~value & pinned
    guard missing != 0 else {
      outcome.layers.append(Layer(name: "native", verdict: "checked: no pinned bit missing"))
      return
    }
    let restore: CheckedWrite = write(register.controlRegister, value | missing, on: index)
    record(
      restore, Action.mov(register.controlRegister, value | missing),
      context: "\(function): native pinning puts the bits back", into: &outcome, layer: false)
    outcome.absorb(restore, failure: .gp)
    let warning =
      register == .cr0
      ? "CR0 WP bit went missing!?" : "pinned CR4 bits changed: \(Hex.short(missing))!?"
    outcome.layers.append(
      Layer(name: "native", verdict: "restored \(Hex.short(missing)) and warned `\(warning)`"))
    outcome.notes.append(
      "Native pinning: the write happened, then \(function) put \(BitList.labels(missing, register)) "
        + "back and warned once: `\(warning)`.")
  }

  /// Records one `mov` of the kernel path as a step and, for the first, the hypervisor's layer.
  private func record(
    _ write: CheckedWrite, _ action: Action, context: String, into outcome: inout Outcome,
    layer: Bool = true
  ) {
    let kind = write.kind(failure: .gp)
    outcome.steps.append(
      Step(
        statement: action.statement, context: context, kind: kind, rules: write.rules,
        failureIgnored: false))
    guard layer, hasHypervisorPinning else { return }
    let verdict =
      switch kind {
      case .ok: "allowed"
      case .dropped: droppedVerdict
      default: "\(kind.display) (\(write.rules.map(\.id.rawValue).joined(separator: ", ")))"
      }
    outcome.layers.append(Layer(name: designName, verdict: verdict))
  }
}
