/// The guest kernel's `native_write_cr0/cr4()` (Linux 5.8): the `mov` first, then, with native
/// pinning on, a check of the value it wrote that puts the pinned bits back with a second `mov`
/// and warns once. Both `mov`s go through the hypervisor; a raw `mov` reached by a ROP gadget
/// skips the kernel's check entirely (that is `Action.mov`).
///
/// CR0 (8dbec27a242c, 5.3, unchanged since): WP is pinned to 1; a write clearing it is followed
/// by one setting it again and `CR0 WP bit went missing!?`.
/// CR4 is mask + value pinning (a13b9d0b9721 "x86/cpu: Use pinning mask for CR4 bits needing to
/// be 0", merged for 5.8-rc through x86/urgent in June 2020): `cr4_pinned_mask` =
/// SMEP|SMAP|UMIP|FSGSBASE, each bit held at its boot value, 0 or 1 (`cr4_pinned_bits`).
/// `bits_changed = (val & mask) ^ cr4_pinned_bits`; the kernel writes
/// `(val & ~mask) | cr4_pinned_bits` and warns `pinned CR4 bits changed: 0x%lx!?`. A 5.8 boot
/// leaves FSGSBASE clear (5.9's b745cfba44c1 sets it), so on crpin's guest FSGSBASE is pinned to
/// 0. The guest kernel's version (`VMOptions.kernel`) decides the mask, the values and the
/// warning (`GuestKernelFacts`): 5.3-5.7 pinned to 1 only, setting the missing bits again with
/// `CR4 bits went missing: %lx!?`; 5.18 adds CET, 6.9 FRED. Facts:
/// docs/versions.md.
extension VirtualMachine {
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
    let facts = options.kernelFacts
    let mask = nativePinMaskOfKernel(register)
    let pinnedValue = register == .cr0 ? CR0.wp : pinnedCR4
    let toOneOnly = register == .cr4 && !facts.pinsToBootValue
    let changed = toOneOnly ? pinnedValue & ~value : (value & mask) ^ pinnedValue
    guard changed != 0 else {
      outcome.layers.append(Layer(.nativePinning, .nothingMissing))
      return
    }
    let corrected = toOneOnly ? value | changed : (value & ~mask) | pinnedValue
    let restore: CheckedWrite = write(register.controlRegister, corrected, on: index)
    record(
      restore, Action.mov(register.controlRegister, corrected),
      context: "\(function): native pinning puts the bits back", into: &outcome, layer: false)
    outcome.absorb(restore, failure: .gp)
    let warning =
      toOneOnly ? GuestKernelFacts.missingWarning(changed) : Layer.Decision.warning(register, bits: changed)
    outcome.layers.append(
      Layer(.nativePinning, toOneOnly ? .restoredMissing(bits: changed) : .restored(register, bits: changed)))
    let set = value & changed
    let what =
      set == 0
      ? "put \(BitList.labels(changed, register)) back"
      : changed == set
        ? "cleared \(BitList.labels(set, register)) again (pinned to 0)"
        : "put \(BitList.labels(changed & ~set, register)) back, cleared \(BitList.labels(set, register)) "
          + "again (pinned to 0)"
    outcome.notes.append(
      "Native pinning: the write happened, then \(function) \(what) and warned once: `\(warning)`.")
  }

  /// The bits of `register` the guest kernel in `options.kernel` pins natively: CR0.WP, and in
  /// CR4 its `cr4_pinned_mask` (`GuestKernelFacts.nativeCR4Mask`).
  public func nativePinMaskOfKernel(_ register: PinnableRegister) -> UInt64 {
    register == .cr0 ? options.kernelFacts.nativeCR0Mask : options.kernelFacts.nativeCR4Mask
  }

  /// Records one `mov` of the kernel path as a step and, for the first, the hypervisor's layer.
  private func record(
    _ write: CheckedWrite, _ action: Action, context: String, into outcome: inout Outcome,
    layer: Bool = true
  ) {
    let kind = write.kind(failure: .gp)
    outcome.steps.append(
      Step(
        action: action, context: context, kind: kind, rules: write.rules,
        failureIgnored: false))
    guard layer, hasHypervisorPinning else { return }
    let decision: Layer.Decision =
      switch kind {
      case .ok: write.withoutExit ? .notReached : .allowed
      case .dropped: .dropped(verdict: droppedVerdict)
      default: .refused(kind, write.rules.map(\.id))
      }
    outcome.layers.append(Layer(.design(options.mechanism), decision))
  }
}
