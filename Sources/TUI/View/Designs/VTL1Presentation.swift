import Engine

/// VTL1 in the TUI: intercept masks (◆) and the policy instead of pins; + and = edit the mask.
extension VTL1Intercepts: DesignPresentation {
  private static func intercept(_ vm: VirtualMachine, vcpu: Int) -> PinPair {
    guard let payload = vm.payload(of: Self.self), payload.vcpus.indices.contains(vcpu) else { return .zero }
    return payload.vcpus[vcpu]
  }

  private static func policy(_ vm: VirtualMachine) -> VTL1Policy { vm.payload(of: Self.self)?.vm ?? .drop }

  static func panelTitle(_ vm: VirtualMachine) -> String { "VTL1 intercepts" }

  static func panelRows(_ vm: VirtualMachine, vcpu: Int) -> [[Run]] {
    let intercept = intercept(vm, vcpu: vcpu)
    let policy = policy(vm)
    return [
      [Run(" CR0 intercept ", .dim), panelValue(intercept.cr0, highlight: true)],
      [Run(" CR4 intercept ", .dim), panelValue(intercept.cr4, highlight: true)],
      [
        Run(" policy        ", .dim), Run(policy.rawValue, .normal),
        Run(policy == .drop ? " (LVBS: skip, no fault)" : " (a what-if)", .dim),
      ],
    ]
  }

  static func masks(
    _ vm: VirtualMachine, vcpu: Int, register: PinnableRegister, format: (UInt64) -> String
  ) -> [Run] {
    let intercept = intercept(vm, vcpu: vcpu)[register]
    return [
      Run("◆ VTL1 intercepts ", .dim), Run(format(intercept), intercept != 0 ? .pinned : .normal),
      Run("  policy ", .dim), Run(policy(vm).rawValue),
    ]
  }

  static func hold(_ vm: VirtualMachine, vcpu: Int, register: PinnableRegister, mask: UInt64)
    -> BitHold
  {
    intercept(vm, vcpu: vcpu)[register] & mask != 0 ? .intercepted : .notIntercepted
  }

  static func holdText(_ vm: VirtualMachine, vcpu: Int, bit: BitInfo) -> Run {
    hold(vm, vcpu: vcpu, register: bit.register, mask: bit.mask) == .intercepted
      ? Run("VTL1 intercepts it ◆ (policy \(policy(vm).rawValue))", .pinned)
      : Run("not intercepted by VTL1", .dim)
  }

  static func compareHold(_ vm: VirtualMachine, vcpu: Int, cursor: BitCursor) -> CompareColumns.Hold {
    hold(vm, vcpu: vcpu, register: cursor.register, mask: cursor.mask) == .intercepted
      ? .intercepted(policy: policy(vm).rawValue) : .notIntercepted
  }

  static var watchesBits: Bool { true }

  static func action(
    for key: PinKey, in vm: VirtualMachine, vcpu: Int, cursor: BitCursor
  ) -> Result<Action, PinKeyRefusal> {
    let register = cursor.register
    let mask = cursor.mask
    let intercept = intercept(vm, vcpu: vcpu)[register]
    switch key {
    case .hostPin(true): return .success(.vtl1Intercept(register, intercept | mask))
    case .hostUnpin:
      guard intercept & mask != 0 else {
        let name = cursor.bit?.qualifiedName ?? "this bit"
        return .failure(PinKeyRefusal("VTL1 does not intercept \(name) on vCPU \(vcpu)"))
      }
      return .success(.vtl1Intercept(register, intercept & ~mask))
    case .guestPin, .guestRead:
      return .failure(
        PinKeyRefusal(
          "VTL0 (the guest) cannot set VTL1's intercepts: + adds the bit to the mask, = removes it"))
    case .hostPin(false):
      return .failure(PinKeyRefusal("VTL1 intercepts changes to a bit; it has no pin-low"))
    }
  }
}
