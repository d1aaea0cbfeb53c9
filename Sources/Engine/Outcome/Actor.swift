/// Who acts in a statement: the guest's own code, its kernel, the host's VMM, or the layers
/// in between.
public enum Actor: String, CaseIterable, Sendable, Codable {
  /// Guest code (a ROP gadget's raw `mov`, an MSR access, RSM, a hypercall).
  case guest
  /// The guest kernel's own paths (`native_write_crN`, boot, kexec, user memory).
  case kernel
  /// The host's VMM (KVM ioctls, reset, migration, options).
  case host
  /// Hyper-V's VTL1 (its intercepts and policy).
  case vtl1 = "VTL1"
  /// System-management mode (an SMI, SMRAM edits).
  case smm = "SMM"
  /// The L1 hypervisor of a nested guest.
  case l1 = "L1"
  /// The L2 guest of a nested guest.
  case l2 = "L2"

  /// How the log writes it: `guest`, `kernel`, `host`, `VTL1`, `SMM`, `L1`, `L2`.
  public var name: String { rawValue }
}
