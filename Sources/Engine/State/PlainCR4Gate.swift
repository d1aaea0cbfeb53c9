/// What `step`'s plain path for a guest MOV to CR4 (`VirtualMachine.plainMovCR4`) reads of the
/// VM-wide state, kept in the VM itself (its options sit behind a reference: `MachineStorage`)
/// and derived again whenever `stopped`, the options or the design change.
@usableFromInline
struct PlainCR4Gate: Hashable, Sendable {
  /// Whether the plain path may decide: the VM runs (`!stopped`), no CR4 bit is guest-owned
  /// (`options.nonExitingCR4` is 0), KVM makes no CET/WP check (`options.kvmChecksCETAndWP`),
  /// and the design's whole say is the patch's mask check (`MachineStorage.hasPlainCR4Pins`):
  /// one question instead of four.
  @usableFromInline var isOpen: Bool
  /// `options.refusedCR4`: the CR4 bits KVM refuses (reserved, or the CPU lacks the feature).
  @usableFromInline var refusedCR4: UInt64
  /// `options.cpu.features`' bits (the plain path asks PCID and VMX).
  @usableFromInline var cpuFeatures: UInt16

  /// The gate of a VM with these values.
  init(stopped: Bool, storage: MachineStorage) {
    let options = storage.options
    isOpen =
      !stopped && options.nonExitingCR4 == 0 && !options.kvmChecksCETAndWP && storage.hasPlainCR4Pins
    refusedCR4 = options.refusedCR4
    cpuFeatures = options.cpu.features.rawValue
  }
}
