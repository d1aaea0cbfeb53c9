import Engine

/// kvm-rfc2 in the TUI: its four MSRs (the defaults), and pin keys that write `CRn_PINNED`.
extension KVMRFC2Pinning: DesignPresentation {
  static func action(
    for key: PinKey, in vm: VirtualMachine, vcpu: Int, cursor: BitCursor
  ) -> Result<Action, PinKeyRefusal> {
    let register = cursor.register
    let mask = cursor.mask
    let shortName = register == .cr0 ? "CR0_PINNED" : "CR4_PINNED"
    let msr = msrs.first { $0.shortName == shortName }?.number ?? 0
    let payload = vm.payload(of: Self.self)
    let pinned = payload.map { $0.vcpus.indices.contains(vcpu) ? $0.vcpus[vcpu][register] : 0 } ?? 0
    switch key {
    case .guestPin(true): return .success(.wrmsr(msr, pinned | mask))
    case .hostPin(true): return .success(.hostWrmsr(msr, pinned | mask))
    case .guestPin(false), .hostPin(false):
      return .failure(
        PinKeyRefusal(
          "kvm-rfc2 has no pinned-low MSR: once \(register.displayName)_PINNED is non-zero, the allowed bits it leaves out are held at 0"
        ))
    case .hostUnpin:
      guard pinned & mask != 0 else {
        let name = cursor.bit?.qualifiedName ?? "this bit"
        return .failure(PinKeyRefusal("\(name) is not in \(register.displayName)_PINNED on vCPU \(vcpu)"))
      }
      return .success(.hostWrmsr(msr, pinned & ~mask))
    case .guestRead: return .success(.rdmsr(msr))
    }
  }
}
