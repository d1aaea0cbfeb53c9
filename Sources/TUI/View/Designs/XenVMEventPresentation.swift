import Engine

/// Xen's vm_event monitor in the TUI: the bits the monitor watches (◆) and its policy; the pin
/// keys do nothing (dom0's tool subscribes, not the guest nor crpin's VMM).
extension XenVMEventMonitor: DesignPresentation {
  private static func watched(_ vm: VirtualMachine) -> PinPair {
    vm.payload(of: Self.self)?.vm.watched ?? .zero
  }

  static func panelTitle(_ vm: VirtualMachine) -> String { "Xen monitor (per domain)" }

  static func panelRows(_ vm: VirtualMachine, vcpu: Int) -> [[Run]] {
    let watched = watched(vm)
    return [
      [Run(" write_ctrlreg, sync: the vCPU waits", .dim)],
      [Run(" CR0 watched   ", .dim), panelValue(watched.cr0, highlight: true)],
      [Run(" CR4 watched   ", .dim), panelValue(watched.cr4, highlight: true)],
      [
        Run(" policy        ", .dim), Run("deny clears", .normal),
        Run(" (crpin's monitor)", .dim),
      ],
    ]
  }

  static func masks(
    _ vm: VirtualMachine, vcpu: Int, register: PinnableRegister, format: (UInt64) -> String
  ) -> [Run] {
    let watched = watched(vm)[register]
    return [
      Run("◆ monitor watches ", .dim), Run(format(watched), watched != 0 ? .pinned : .normal),
      Run("  denies clears", .dim),
    ]
  }

  static func hold(_ vm: VirtualMachine, vcpu: Int, register: PinnableRegister, mask: UInt64)
    -> BitHold
  {
    watched(vm)[register] & mask != 0 ? .intercepted : .notIntercepted
  }

  static func holdText(_ vm: VirtualMachine, vcpu: Int, bit: BitInfo) -> Run {
    hold(vm, vcpu: vcpu, register: bit.register, mask: bit.mask) == .intercepted
      ? Run("Xen's monitor watches it ◆ (denies a clear)", .pinned)
      : Run("not watched by the monitor", .dim)
  }

  static func compareHold(_ vm: VirtualMachine, vcpu: Int, cursor: BitCursor) -> CompareColumns.Hold {
    hold(vm, vcpu: vcpu, register: cursor.register, mask: cursor.mask) == .intercepted
      ? .intercepted(policy: "deny") : .notIntercepted
  }

  static var watchesBits: Bool { true }

  static func action(
    for key: PinKey, in vm: VirtualMachine, vcpu: Int, cursor: BitCursor
  ) -> Result<Action, PinKeyRefusal> {
    .failure(
      PinKeyRefusal(
        "Xen's monitor is dom0's tool: it subscribes when the guest has booted (b); no key sets it"))
  }
}
