import Engine

/// What the pin keys (H L + - = m) mean under each mechanism: the seed patch's six MSRs, the
/// 2020 draft's pin-to-value MSRs, Heki's lock hypercall, VTL1's intercept masks — or why the
/// key does nothing there.
enum PinKey: Equatable, Sendable {
  case guestPin(high: Bool)
  case hostPin(high: Bool)
  case hostUnpin
  case guestRead

  /// The action the key takes on `vcpu` of `vm` for the cursor bit, or what to tell the user.
  func action(in vm: VirtualMachine, vcpu: Int, cursor: BitCursor) -> Result<Action, PinKeyRefusal> {
    let register = cursor.register
    let mask = cursor.mask
    let name = cursor.bit?.qualifiedName ?? "this bit"
    switch vm.options.mechanism {
    case .kvm2020:
      let pins = vm.effectivePins(on: vcpu)
      switch self {
      case .guestPin(let high):
        let current = high ? pins.high(register) : pins.low(register)
        return .success(.wrmsr(PinMSR.pinned(register, high: high), current | mask))
      case .hostPin(let high):
        let current = high ? pins.high(register) : pins.low(register)
        return .success(.hostWrmsr(PinMSR.pinned(register, high: high), current | mask))
      case .hostUnpin:
        if pins.high(register) & mask != 0 {
          return .success(.hostWrmsr(PinMSR.pinned(register, high: true), pins.high(register) & ~mask))
        }
        if pins.low(register) & mask != 0 {
          return .success(.hostWrmsr(PinMSR.pinned(register, high: false), pins.low(register) & ~mask))
        }
        return .failure(PinKeyRefusal("\(name) is not pinned on vCPU \(vcpu)"))
      case .guestRead: return .success(.rdmsr(PinMSR.pinned(register, high: true)))
      }
    case .kvmRFC2:
      let msr = PinMSR.rfc2Pinned(register)
      let pinned = vm.vcpus[vcpu].rfc2Pinned[register]
      switch self {
      case .guestPin(true): return .success(.wrmsr(msr, pinned | mask))
      case .hostPin(true): return .success(.hostWrmsr(msr, pinned | mask))
      case .guestPin(false), .hostPin(false):
        return .failure(
          PinKeyRefusal(
            "kvm-rfc2 has no pinned-low MSR: once \(register.displayName)_PINNED is non-zero, the allowed bits it leaves out are held at 0"
          ))
      case .hostUnpin:
        guard pinned & mask != 0 else {
          return .failure(PinKeyRefusal("\(name) is not in \(register.displayName)_PINNED on vCPU \(vcpu)"))
        }
        return .success(.hostWrmsr(msr, pinned & ~mask))
      case .guestRead: return .success(.rdmsr(msr))
      }
    case .heki:
      switch self {
      case .guestPin(true):
        return .success(.hypercallLockCR(cr: register == .cr0 ? 0 : 4, bits: mask, flags: 0))
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
    case .vtl1:
      let intercept = vm.vcpus[vcpu].vtl1Intercept[register]
      switch self {
      case .hostPin(true): return .success(.vtl1Intercept(register, intercept | mask))
      case .hostUnpin:
        guard intercept & mask != 0 else {
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
    case .native, .none:
      return .failure(
        PinKeyRefusal(
          "no hypervisor pins under \(vm.options.mechanism.rawValue): M switches the mechanism"))
    }
  }
}

/// Why a pin key does nothing under the mechanism in force.
struct PinKeyRefusal: Error, Equatable {
  let text: String
  init(_ text: String) { self.text = text }
}

/// The pin MSR numbers by register and direction.
enum PinMSR {
  /// kvm-2020's pinned-high or pinned-low MSR of `register`.
  static func pinned(_ register: PinnableRegister, high: Bool) -> UInt32 {
    switch (register, high) {
    case (.cr0, true): MSRNumber.cr0PinnedHigh
    case (.cr0, false): MSRNumber.cr0PinnedLow
    case (.cr4, true): MSRNumber.cr4PinnedHigh
    case (.cr4, false): MSRNumber.cr4PinnedLow
    }
  }

  /// kvm-rfc2's `CR0_PINNED` / `CR4_PINNED`.
  static func rfc2Pinned(_ register: PinnableRegister) -> UInt32 {
    let name = register == .cr0 ? "CR0_PINNED" : "CR4_PINNED"
    return MSRCatalog.rfc2.first { $0.shortName == name }?.number
      ?? (register == .cr0 ? 0x4b56_4d08 : 0x4b56_4d09)
  }
}
