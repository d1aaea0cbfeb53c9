/// The pinning design the hypervisor runs: with the `VirtualMachine` extension in `Seam.swift`,
/// the one place where pins are set (MSRs, hypercall, intercepts), checked (CR writes, after
/// RSM), forced (VM-exit) and cleared (reset, reboot, migration).
///
/// Each design keeps its rules in its own file (`KVM2020Pinning`, `KVMRFC2Pinning`,
/// `HekiPinning`, `VTL1Intercepts`); a new design is one more case and one more file.
public enum PinningDesign: String, CaseIterable, Sendable {
  /// The seed patch (June 2020): six MSRs, per-vCPU high/low masks.
  case kvm2020 = "kvm-2020"
  /// The February 2020 draft: four MSRs, pin to value.
  case kvmRFC2 = "kvm-rfc2"
  /// Heki's hypercall: per-VM locks.
  case heki
  /// Hyper-V VTL1 intercepts.
  case vtl1
  /// No hypervisor pinning (KVM without a patch, native only, none).
  case absent = "none"

  /// Whether this design implements MSR `number` (otherwise it is unknown to KVM).
  public func handles(msr number: UInt32) -> Bool {
    switch self {
    case .kvm2020: KVM2020Pinning.isPatchMSR(number)
    case .kvmRFC2: KVMRFC2Pinning.isDraftMSR(number)
    case .heki, .vtl1, .absent: false
    }
  }

  /// The bits of `register` this design lets a guest pin by default.
  public func allowed(_ register: PinnableRegister) -> UInt64 {
    switch self {
    case .kvm2020, .kvmRFC2: KVM2020Pinning.allowed[register]
    case .heki: register == .cr0 ? CR0.wp : HekiPinning.cr4Pinnable
    case .vtl1, .absent: 0
    }
  }
}
