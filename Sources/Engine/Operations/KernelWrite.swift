/// The guest kernel's `native_write_cr0/cr4()` (Linux 5.8): the `mov` first, then, with native
/// pinning on, a check that puts missing pinned bits back with a second `mov` and warns once.
/// Both `mov`s go through KVM's checks; a raw `mov` reached by a ROP gadget skips the kernel's
/// check entirely (that is `Action.mov`).
extension VirtualMachine {
  /// The CR4 bits Linux 5.8 pins natively, when the CPU has them.
  static let nativeCR4Mask = CR4.smep | CR4.smap | CR4.umip

  mutating func kernelWrite(
    _ register: PinnableRegister, _ value: UInt64, on index: Int, into outcome: inout Outcome
  ) {
    let function = "native_write_\(register.rawValue)"
    let first = write(register.controlRegister, value, on: index)
    outcome.steps.append(
      Step(
        statement: Action.mov(register.controlRegister, value).statement, context: function,
        kind: first.succeeded ? .ok : .gp, rules: first.rules, failureIgnored: false))
    outcome.absorb(first, failure: .gp)
    guard first.succeeded else {
      outcome.notes.append(
        "KVM refused the write itself: \(function)'s own check never ran. A #GP in the kernel "
          + "is an oops.")
      return
    }
    guard nativePinningActive, let pinnedCR4 = nativePinnedCR4 else { return }
    let written = vcpus[index].registers[register.controlRegister.register]
    let pinned = register == .cr0 ? CR0.wp : pinnedCR4
    let missing = ~written & pinned
    guard missing != 0 else { return }
    let restore = write(register.controlRegister, written | missing, on: index)
    outcome.steps.append(
      Step(
        statement: Action.mov(register.controlRegister, written | missing).statement,
        context: "\(function): native pinning puts the bits back",
        kind: restore.succeeded ? .ok : .gp, rules: restore.rules, failureIgnored: false))
    outcome.absorb(restore, failure: .gp)
    let warning =
      register == .cr0
      ? "CR0 WP bit went missing!?" : "pinned CR4 bits changed: \(Hex.short(missing))!?"
    outcome.notes.append(
      "Native pinning: the write happened, then \(function) put \(BitList.labels(missing, register)) "
        + "back and warned once: `\(warning)`.")
  }
}
