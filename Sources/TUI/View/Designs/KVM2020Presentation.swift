import Engine

/// kvm-2020 in the TUI: its six MSRs (the defaults), and pin keys that write them.
extension KVM2020Pinning: DesignPresentation {
  static func action(
    for key: PinKey, in vm: VirtualMachine, vcpu: Int, cursor: BitCursor
  ) -> Result<Action, PinKeyRefusal> {
    let register = cursor.register
    let mask = cursor.mask
    let pins = vm.effectivePins(on: vcpu)
    func pinned(_ high: Bool) -> UInt32 {
      switch (register, high) {
      case (.cr0, true): MSRNumber.cr0PinnedHigh
      case (.cr0, false): MSRNumber.cr0PinnedLow
      case (.cr4, true): MSRNumber.cr4PinnedHigh
      case (.cr4, false): MSRNumber.cr4PinnedLow
      }
    }
    switch key {
    case .guestPin(let high):
      let current = high ? pins.high(register) : pins.low(register)
      return .success(.wrmsr(pinned(high), current | mask))
    case .hostPin(let high):
      let current = high ? pins.high(register) : pins.low(register)
      return .success(.hostWrmsr(pinned(high), current | mask))
    case .hostUnpin:
      if pins.high(register) & mask != 0 {
        return .success(.hostWrmsr(pinned(true), pins.high(register) & ~mask))
      }
      if pins.low(register) & mask != 0 {
        return .success(.hostWrmsr(pinned(false), pins.low(register) & ~mask))
      }
      let name = cursor.bit?.qualifiedName ?? "this bit"
      return .failure(PinKeyRefusal("\(name) is not pinned on vCPU \(vcpu)"))
    case .guestRead: return .success(.rdmsr(pinned(true)))
    }
  }
}
