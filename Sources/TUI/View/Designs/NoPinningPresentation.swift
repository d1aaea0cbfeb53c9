import Engine

/// No hypervisor pinning in the TUI: native pinning's captured bits, and why nothing pins.
extension NoPinning: DesignPresentation {
  static func panelTitle(_ vm: VirtualMachine) -> String { "No hypervisor pins" }

  static func panelRows(_ vm: VirtualMachine, vcpu: Int) -> [[Run]] {
    let native = vm.nativePinningActive
    return [
      [Run(" native pinning ", .dim), Run(native ? "on" : "off", native ? .pinned : .normal)],
      [
        Run(" captured CR4  ", .dim),
        vm.nativePinnedCR4.map { panelValue($0, highlight: native) } ?? Run("none (no kernel)", .dim),
      ],
      [Run(" a raw mov crN is not checked", .dim)],
    ]
  }

  static func masks(
    _ vm: VirtualMachine, vcpu: Int, register: PinnableRegister, format: (UInt64) -> String
  ) -> [Run] {
    let why =
      switch vm.options.mechanism {
      case .native: "no hypervisor pins: native pinning only"
      case .none: "no pinning at all"
      default: "no pinning patch (kvm-pin off)"
      }
    return [Run(why, .dim)]
  }

  static func holdText(_ vm: VirtualMachine, vcpu: Int, bit: BitInfo) -> Run {
    Run("no hypervisor pins", .dim)
  }

  static func compareHold(_ vm: VirtualMachine, vcpu: Int, cursor: BitCursor) -> CompareColumns.Hold {
    vm.nativePinningActive && vm.nativePinMaskOfKernel(cursor.register) & cursor.mask != 0
      ? .nativePin : .nothing
  }

  static func action(
    for key: PinKey, in vm: VirtualMachine, vcpu: Int, cursor: BitCursor
  ) -> Result<Action, PinKeyRefusal> {
    // KVM without the patch: the keys still write the design's MSRs (which then #GP).
    if let design = vm.options.mechanism.design as? any DesignPresentation.Type {
      return design.action(for: key, in: vm, vcpu: vcpu, cursor: cursor)
    }
    return .failure(
      PinKeyRefusal("no hypervisor pins under \(vm.options.mechanism.rawValue): M switches the mechanism"))
  }
}
