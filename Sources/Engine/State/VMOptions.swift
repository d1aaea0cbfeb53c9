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
  public var wpGuestOwned = false {
    didSet { refreshVersionFacts() }
  }
  /// The host's CR0 (heki checks CR0 pins against it).
  public var hostCR0: UInt64 = 0x8005_0033
  /// The host's CR4: WP's partner bits SMEP, SMAP, UMIP, FSGSBASE, no CET or FRED (heki drops
  /// CR4 pins the host lacks).
  public var hostCR4: UInt64 = 0x37_2ef0
  /// The guest CPU model.
  public var cpu = CPUModel.default {
    didSet { refreshRefusedCR4() }
  }
  /// The guest kernel's Linux version: what `boot` sets and native pinning's mask, values and
  /// warning (`GuestKernelFacts`). Default: the seed patch's base, 5.8.
  public var kernel = LinuxVersion.seedBase {
    didSet { refreshVersionFacts() }
  }
  /// The host KVM's version: known CR4 bits, VMX guest-owned bits, CET's checks, RSM failure
  /// (`HostKVMFacts`). Default: the seed patch's base, 5.8 (elsewhere the patch runs as a rebase).
  public var kvm = LinuxVersion.seedBase {
    didSet { refreshVersionFacts() }
  }
  /// Whether the kernel or KVM version is past `LinuxVersion.latestFact`: every outcome then
  /// says that what changed since is undecided.
  public private(set) var beyondFacts = false
  /// Whether KVM makes CET's checks on CR0.WP and CR4.CET (`HostKVMFacts.checksCETAndWP`, 6.18).
  public private(set) var kvmChecksCETAndWP = false

  /// The CR4 bits the host KVM knows (`HostKVMFacts.knownCR4`); the reserved-bit rule sets
  /// the rest apart.
  public var knownCR4: UInt64 { HostKVMFacts(kvm).knownCR4 }
  /// The CR4 bits `kvm_valid_cr4` refuses here, for either reason: the host KVM does not know
  /// them (`~knownCR4`), or the guest's CPUID lacks their feature (`cpu.featureGatedCR4`). Kept
  /// up to date with `kvm` and `cpu`, so that `step`'s fast path asks both questions with one
  /// mask (the rules themselves tell the two apart).
  ///
  /// The fields' order matters for speed, not meaning: `CPUModel` ends in its two-byte features
  /// and the version facts' flags follow the versions, so that these options take 88 bytes and
  /// a `VirtualMachine` 115, within the 128 the compiler still copies without `memcpy`
  /// (docs/performance.md).
  public private(set) var refusedCR4 = ~CR4.knownToKVM | CPUModel.default.featureGatedCR4
  /// The CR0 bits whose toggles skip KVM here: WP and TS on KVM 6.4+ with EPT
  /// (`HostKVMFacts.guestOwnedCR0`), or under the `wp-guest-owned` what-if on any KVM.
  /// 5.8's own guest-owned TS is left out unless WP joins it (see `nonExitingCR4`).
  public private(set) var nonExitingCR0: UInt64 = 0
  /// The CR4 bits whose toggles skip KVM here: the bits KVM gave the guest after 5.8 (TSD 5.9,
  /// FSGSBASE 5.10, CET 6.18: `HostKVMFacts.guestOwnedCR4`). crpin runs toggles of 5.8's own
  /// guest-owned bits (PVI DE PCE OSFXSR OSXMMEXCPT LA57 PGE, and CR0.TS) through
  /// `kvm_set_cr*` as it always has: no KVM check and no pin refuses a toggle of them, so the
  /// verdict is the same either way.
  public private(set) var nonExitingCR4: UInt64 = 0

  /// The note every outcome carries when a version is past crpin's facts.
  public static let beyondFactsNote =
    "crpin's facts end at \(LinuxVersion.latestFact): what changed since is undecided."

  /// The host KVM's facts.
  public var kvmFacts: HostKVMFacts { HostKVMFacts(kvm) }
  /// The guest kernel's facts.
  public var kernelFacts: GuestKernelFacts { GuestKernelFacts(kernel) }

  private mutating func refreshVersionFacts() {
    let facts = HostKVMFacts(kvm)
    let base = HostKVMFacts(.seedBase)
    nonExitingCR0 =
      (wpGuestOwned ? CR0.wp | CR0.ts : 0) | (facts.guestOwnedCR0() & ~base.guestOwnedCR0())
    if nonExitingCR0 & CR0.wp != 0 { nonExitingCR0 |= CR0.ts }
    nonExitingCR4 = facts.guestOwnedCR4 & ~base.guestOwnedCR4
    beyondFacts = kernel > .latestFact || kvm > .latestFact
    kvmChecksCETAndWP = facts.checksCETAndWP
    refreshRefusedCR4()
  }

  private mutating func refreshRefusedCR4() {
    refusedCR4 = ~knownCR4 | cpu.featureGatedCR4
  }

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
