import Engine

/// Heki in the TUI: its per-VM locks against the host's CR0/CR4, "locked" rather than "pinned",
/// and H as the lock hypercall.
extension HekiPinning: DesignPresentation {
  static func panelTitle(_ vm: VirtualMachine) -> String { "Heki locks (per VM)" }

  static func panelRows(_ vm: VirtualMachine, vcpu: Int) -> [[Run]] {
    let locks = vm.payload(of: Self.self)?.vm ?? .zero
    return [
      [Run(" hypercall lock_cr: OR-only, never cleared", .dim)],
      [Run(" CR0 locked    ", .dim), panelValue(locks.cr0, highlight: true)],
      [Run(" CR4 locked    ", .dim), panelValue(locks.cr4, highlight: true)],
      [Run(" host CR0      ", .dim), panelValue(vm.options.hostCR0, highlight: false)],
      [Run(" host CR4      ", .dim), panelValue(vm.options.hostCR4, highlight: false)],
    ]
  }

  static func holdText(_ vm: VirtualMachine, vcpu: Int, bit: BitInfo) -> Run {
    switch hold(vm, vcpu: vcpu, register: bit.register, mask: bit.mask) {
    case .high: Run("locked HIGH ▲ (heki)", .pinned)
    case .free: Run("pinnable, free ◦")
    default: Run("not pinnable", .dim)
    }
  }

  static func action(
    for key: PinKey, in vm: VirtualMachine, vcpu: Int, cursor: BitCursor
  ) -> Result<Action, PinKeyRefusal> {
    switch key {
    case .guestPin(true):
      return .success(.hypercallLockCR(cr: cursor.register == .cr0 ? 0 : 4, bits: cursor.mask, flags: 0))
    case .guestPin(false), .hostPin(false):
      return .failure(PinKeyRefusal("heki locks bits to 1 only"))
    case .hostPin(true):
      return .failure(
        PinKeyRefusal("heki has no VMM interface for locks: the guest locks with H (hypercall lock_cr)"))
    case .hostUnpin:
      return .failure(PinKeyRefusal("heki's locks are never cleared, not even by reset or reboot"))
    case .guestRead:
      return .failure(PinKeyRefusal("heki's locks have no MSR to read: the MSR panel shows them"))
    }
  }
}
