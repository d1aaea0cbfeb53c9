/// A switch of the VM a script or the TUI can flip.
public enum VMOptionName: String, CaseIterable, Sendable, Codable {
  /// KVM has the paravirtual pinning patch; off: the pin MSRs are unknown and #GP.
  case kvmPin = "kvm-pin"
  /// The VMM exposes `KVM_FEATURE_CR_PIN` in CPUID: the guest's `boot` pins only when it does.
  case cpuidPin = "cpuid-pin"
  /// The guest kernel's own pinning in `native_write_cr0/cr4()`.
  case nativePin = "native-pin"
  /// Review policy on kvm-2020: INIT keeps the pins; only a reboot clears them.
  case initKeepsPins = "init-keeps-pins"
  /// Review policy on kvm-2020: the pin MSRs #GP when the VMM hides the CPUID bit.
  case enforcePVCPUID = "enforce-pv-cpuid"
  /// Review policy on kvm-2020: the VMM may write `*_PIN_ALLOWED` to any bits the CPU has.
  case allowedWritable = "allowed-writable"
  /// Later KVM with EPT: a CR0 write changing only guest-owned bits (WP, TS) never reaches KVM.
  case wpGuestOwned = "wp-guest-owned"

  /// One line on what the option means.
  public var summary: String {
    switch self {
    case .kvmPin: "KVM has the paravirtual CR pinning patch (off: the pin MSRs are unknown)"
    case .cpuidPin: "the VMM exposes KVM_FEATURE_CR_PIN (CPUID 0x40000001 EAX bit 15)"
    case .nativePin: "the guest kernel pins WP/SMEP/SMAP/UMIP in native_write_cr0/cr4()"
    case .initKeepsPins: "INIT keeps the pins; only reboot clears them (Bonzini, Dec 2019)"
    case .enforcePVCPUID: "pin MSRs #GP when CPUID hides the feature (KVM_CAP_ENFORCE_PV_FEATURE_CPUID)"
    case .allowedWritable: "the VMM may set *_PIN_ALLOWED to any bits the CPU has (the never-posted v2 plan)"
    case .wpGuestOwned: "CR0 writes that change only WP/TS never reach KVM (Linux 6.4+ with EPT) [inference]"
    }
  }
}

/// The VM's configuration: which KVM, which VMM behaviour, which guest kernel, which CPU.
public struct VMOptions: Equatable, Hashable, Sendable {
  /// The pinning design in force (default: the seed patch).
  public var mechanism = Mechanism.kvm2020
  /// KVM runs the paravirtual pinning patch (for the designs that are part of it).
  public var kvmPin = true
  /// The VMM exposes the CPUID feature bit.
  public var cpuidPin = true
  /// The guest kernel's native pinning is built in and on (under kvm-2020, kvm-rfc2, heki, vtl1).
  public var nativePin = true
  /// Review policies on kvm-2020.
  public var initKeepsPins = false
  public var enforcePVCPUID = false
  public var allowedWritable = false
  public var wpGuestOwned = false
  /// The host's CR0 (heki checks CR0 pins against it).
  public var hostCR0: UInt64 = 0x8005_0033
  /// The host's CR4: WP's partner bits SMEP, SMAP, UMIP, FSGSBASE, no CET or FRED (heki drops
  /// CR4 pins the host lacks).
  public var hostCR4: UInt64 = 0x37_2ef0
  /// The guest CPU model.
  public var cpu = CPUModel.default
  /// The guest kernel's Linux version: what `boot` sets and native pinning's mask, values and
  /// warning (`GuestKernelFacts`). Default: the seed patch's base, 5.8.
  public var kernel = LinuxVersion.seedBase
  /// The host KVM's version: known CR4 bits, VMX guest-owned bits, CET's checks, RSM failure
  /// (`HostKVMFacts`). Default: the seed patch's base, 5.8 (elsewhere the patch runs as a rebase).
  public var kvm = LinuxVersion.seedBase

  /// The defaults: the seed patch, the CPUID bit, native pinning, every CPU feature.
  public init() {}

  /// Reads or writes an option by name.
  public subscript(name: VMOptionName) -> Bool {
    get {
      switch name {
      case .kvmPin: kvmPin
      case .cpuidPin: cpuidPin
      case .nativePin: nativePin
      case .initKeepsPins: initKeepsPins
      case .enforcePVCPUID: enforcePVCPUID
      case .allowedWritable: allowedWritable
      case .wpGuestOwned: wpGuestOwned
      }
    }
    set {
      switch name {
      case .kvmPin: kvmPin = newValue
      case .cpuidPin: cpuidPin = newValue
      case .nativePin: nativePin = newValue
      case .initKeepsPins: initKeepsPins = newValue
      case .enforcePVCPUID: enforcePVCPUID = newValue
      case .allowedWritable: allowedWritable = newValue
      case .wpGuestOwned: wpGuestOwned = newValue
      }
    }
  }

  /// Whether the guest kernel's native pinning runs: always under `native`, never under
  /// `none`, otherwise as `native-pin` says.
  public var nativePinningEnabled: Bool {
    switch mechanism {
    case .native: true
    case .none: false
    default: nativePin
    }
  }

}
