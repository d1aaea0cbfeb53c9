/// Hyper-V Virtual Secure Mode secure intercepts as LVBS uses them: VTL1 asks the hypervisor to
/// intercept VTL0's CR0/CR4 writes that change masked bits, and its policy decides.
enum VTL1Intercepts {
  /// The intercept, if `value` changes a bit VTL1 watches: the write goes ahead (noted), is
  /// dropped or faults, as `policy` says.
  static func check<Report: WriteReport>(
    _ register: PinnableRegister, old: UInt64, value: UInt64, mask: UInt64, policy: VTL1Policy,
    into result: inout Report
  ) {
    let changed = (old ^ value) & mask
    guard changed != 0 else { return }
    var what: String {
      "VTL1 intercepts \(register.displayName) writes changing \(Hex.short(mask)); this one "
        + "changes \(BitList.labels(changed & 0xffff_ffff, register))"
    }
    switch policy {
    case .drop:
      result.dropped = true
      result.fail(
        .vtl1Intercept,
        what + ". Policy drop: VTL1 skipped the instruction — nothing changed, no fault.")
    case .gp:
      result.fail(.vtl1Intercept, what + ". Policy gp (a what-if, in neither source): #GP.")
    case .allow:
      result.note(
        what + ". Policy allow (a what-if, in neither source): the write goes ahead, logged.")
    }
  }
}
