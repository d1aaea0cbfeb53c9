/// What the chosen guest kernel and host KVM do with one CR0/CR4 bit, for the places a user
/// sees versions (the TUI's detail pane, `crpin explain`): whether KVM knows it, whether the
/// kernel pins it natively (and to what), whether the guest owns it on VMX — each fact with the
/// source `GuestKernelFacts`/`HostKVMFacts` cite (docs/versions.md).
public struct BitVersionFacts: Equatable, Sendable {
  /// CR0 or CR4.
  public let register: PinnableRegister
  /// The bit, as a mask.
  public let mask: UInt64
  /// The guest kernel's facts.
  public let kernel: GuestKernelFacts
  /// The host KVM's facts.
  public let kvm: HostKVMFacts
  /// CR0 bits `option wp-guest-owned on` makes guest-owned whatever the version (WP, TS).
  public let forcedGuestOwnedCR0: UInt64
  /// Whether KVM sees the guest's CR writes at all (not under vtl1, where Hyper-V does).
  public let hypervisorIsKVM: Bool

  /// The facts of the bit `mask` of `register` under Linux `kernel` on KVM `kvm`.
  public init(
    _ register: PinnableRegister, mask: UInt64, kernel: LinuxVersion, kvm: LinuxVersion,
    forcedGuestOwnedCR0: UInt64 = 0, hypervisorIsKVM: Bool = true
  ) {
    self.register = register
    self.mask = mask
    self.kernel = GuestKernelFacts(kernel)
    self.kvm = HostKVMFacts(kvm)
    self.forcedGuestOwnedCR0 = forcedGuestOwnedCR0
    self.hypervisorIsKVM = hypervisorIsKVM
  }

  /// The facts of one bit under the versions and switches of `options`.
  public init(_ register: PinnableRegister, mask: UInt64, options: VMOptions) {
    self.init(
      register, mask: mask, kernel: options.kernel, kvm: options.kvm,
      forcedGuestOwnedCR0: options.wpGuestOwned ? CR0.wp | CR0.ts : 0,
      hypervisorIsKVM: options.mechanism.design?.hypervisorIsKVM ?? true)
  }

  /// Whether this KVM knows the bit: for CR4 `HostKVMFacts.knownCR4` (an unknown bit is reserved:
  /// #GP); for CR0 the architectural bits (bits 63:32 #GP, other undefined bits are dropped).
  public var knownToKVM: Bool {
    register == .cr4 ? kvm.knownCR4 & mask != 0 : CR0.defined & mask != 0
  }

  /// Whether the kernel's native pinning covers the bit (`cr4_pinned_mask`, or CR0.WP).
  public var inNativeMask: Bool {
    (register == .cr0 ? kernel.nativeCR0Mask : kernel.nativeCR4Mask) & mask != 0
  }

  /// Whether a guest write changing only this bit never exits on VMX with EPT (the guest owns
  /// it, `KVM_POSSIBLE_CR0/CR4_GUEST_BITS`), so no check in `kvm_set_cr*` sees it.
  /// `option wp-guest-owned on` adds WP and TS on any version; under vtl1 no bit is (Hyper-V,
  /// not KVM, sees the writes).
  public var guestOwned: Bool {
    guard hypervisorIsKVM else { return false }
    return (register == .cr0 ? kvm.guestOwnedCR0(ept: true) | forcedGuestOwnedCR0 : kvm.guestOwnedCR4) & mask
      != 0
  }

  /// What native pinning does with the bit on a guest whose boot pinned `bootPins` (the CR4
  /// value `setup_cr_pinning()` captured, masked; nil when native pinning is off or not booted).
  public func nativePin(bootPins: UInt64?) -> NativePin {
    guard inNativeMask else { return .notInMask }
    if register == .cr0 { return bootPins == nil ? .off : .pinned(to: true) }
    guard let bootPins else { return .off }
    let bootValue = bootPins & mask != 0
    if !bootValue && !kernel.pinsToBootValue { return .clearNotPinned }
    return .pinned(to: bootValue)
  }

  /// Native pinning and one bit.
  public enum NativePin: Equatable, Sendable {
    /// The kernel's mask does not cover the bit.
    case notInMask
    /// Covered, but native pinning is off (or the guest has not booted).
    case off
    /// Held at this value: a write changing it is put back and warned about.
    case pinned(to: Bool)
    /// Covered, but clear at boot, and before 5.8 the kernel only puts back missing bits.
    case clearNotPinned
  }

  /// One line per fact, each with its source, in the order known, native, guest-owned;
  /// `bootPins` as for `nativePin(bootPins:)`.
  public func lines(bootPins: UInt64?) -> [VersionBadge] {
    let kvmName = "KVM \(kvm.version)"
    let linux = "Linux \(kernel.version)"
    var result: [VersionBadge] = []
    result.append(
      VersionBadge(
        badge: knownToKVM ? "\(kvmName): known" : "\(kvmName): reserved",
        claim: knownToKVM
          ? "\(kvmName) accepts the bit (when the CPUID feature it needs is there)"
          : register == .cr4
            ? "\(kvmName) does not know the bit: a MOV to CR4 with it takes #GP"
            : "not a CR0 bit: KVM drops it (bits 63:32: #GP)",
        source: knownSource))
    let native: String
    switch nativePin(bootPins: bootPins) {
    case .notInMask: native = "\(linux) does not pin it natively"
    case .off: native = "\(linux) pins it natively, but native pinning is off"
    case .pinned(let to):
      native =
        "\(linux) pins it natively to \(to ? 1 : 0) (its boot value): a write changing it is put "
        + "back and warned about"
    case .clearNotPinned:
      native =
        "\(linux) pins it only when set at boot (before 5.8 pinning puts back missing bits only): clear, not pinned"
    }
    let nativeBadge: String
    switch nativePin(bootPins: bootPins) {
    case .pinned(let to): nativeBadge = "\(linux): native pin \(to ? 1 : 0)"
    case .notInMask, .clearNotPinned: nativeBadge = "\(linux): not pinned"
    case .off: nativeBadge = "\(linux): native off"
    }
    result.append(VersionBadge(badge: nativeBadge, claim: native, source: nativeSource))
    if guestOwned {
      result.append(
        VersionBadge(
          badge: "\(kvmName): guest-owned",
          claim:
            "on VMX (EPT) a write changing only guest-owned bits never exits: no check in "
            + "kvm_set_cr\(register == .cr0 ? "0" : "4"), so a hypervisor pin on it is not enforced",
          source: guestOwnedSource))
    }
    return result
  }

  /// Names of the CR4 bits past crpin's bit table that a later KVM knows or a later kernel pins
  /// (Intel SDM Vol. 3A §2.5; docs/versions.md).
  public static let laterCR4Names: [Int: String] = [25: "UINTR", 27: "LASS", 28: "LAM_SUP", 32: "FRED"]

  /// The source of KVM 5.8's known CR4 bits, which most bits share.
  public static let plainKnownSource = "CR4_RESERVED_BITS (KVM 5.8's known bits; docs/versions.md)"

  /// Where the known-bit fact comes from.
  public var knownSource: String {
    guard register == .cr4 else { return "Intel SDM Vol. 3A §2.5; kvm_is_valid_cr0" }
    switch mask {
    case CR4.lamSup: return "kvm-x86-lam-6.8 pull, Msg-ID 20240104193303.3175844-4-seanjc@google.com"
    case CR4.cet: return "kvm-x86-cet-6.18 pull, Msg-ID 20250927060910.2933942-10-seanjc@google.com"
    case CR4.fred: return "KVM FRED support unmerged (v9, Msg-ID 20251026201911.505204-1-xin@zytor.com)"
    case CR4.lass: return "KVM LASS support unmerged (2023 RFC) [inference]"
    default: return Self.plainKnownSource
    }
  }

  /// Where the native-pinning fact comes from.
  public var nativeSource: String {
    if !inNativeMask {
      return register == .cr0
        ? "8dbec27a242c \"x86/asm: Pin sensitive CR0 bits\" (5.3: WP only, unchanged since)"
        : "cr4_pinned_mask: 873d50d58f67 (5.3), a13b9d0b9721 (5.8), 991625f3dd2c (5.18), 95d34efac1a0 (6.9)"
    }
    switch (register, mask) {
    case (.cr0, _): return "8dbec27a242c \"x86/asm: Pin sensitive CR0 bits\" (5.3)"
    case (.cr4, CR4.fsgsbase):
      return "a13b9d0b9721 \"x86/cpu: Use pinning mask for CR4 bits needing to be 0\" (5.8)"
    case (.cr4, CR4.cet): return "991625f3dd2c \"x86/ibt: Add IBT feature, MSR and #CP handling\" (5.18)"
    case (.cr4, CR4.fred): return "95d34efac1a0 \"x86/cpu: Add X86_CR4_FRED macro\" (6.9)"
    default:
      return kernel.pinsToBootValue
        ? "873d50d58f67 \"x86/asm: Pin sensitive CR4 bits\" (5.3); a13b9d0b9721 (5.8: boot value, 0 or 1)"
        : "873d50d58f67 \"x86/asm: Pin sensitive CR4 bits\" (5.3: pinned to 1 only)"
    }
  }

  /// Where the guest-owned fact comes from.
  public var guestOwnedSource: String {
    switch (register, mask) {
    case (.cr0, CR0.wp) where kvm.guestOwnedCR0(ept: true) & mask == 0:
      return "option wp-guest-owned (a what-if before KVM 6.4; fb509f76acc8)"
    case (.cr0, CR0.wp): return "fb509f76acc8 \"KVM: VMX: Make CR0.WP a guest owned bit\" (6.4)"
    case (.cr4, CR4.tsd):
      return "\"Mark CR4.TSD as being possibly owned by the guest\" (5.9), Msg-ID "
        + "20200703040422.31536-2-sean.j.christopherson@intel.com"
    case (.cr4, CR4.fsgsbase):
      return "\"Let the guest own CR4.FSGSBASE\" (5.10), Msg-ID 20201023173619.2785471-1-pbonzini@redhat.com"
    case (.cr4, CR4.cet):
      return "\"KVM: VMX: Make CR4.CET a guest owned bit\" (6.18), Msg-ID "
        + "20250927060910.2933942-10-seanjc@google.com"
    default:
      return "KVM_POSSIBLE_CR0/CR4_GUEST_BITS (5.8), Msg-ID "
        + "20200703040422.31536-2-sean.j.christopherson@intel.com"
    }
  }
}

extension VMOptions {
  /// Whether the pin check runs "as if the patch were rebased" onto this KVM: kvm-2020 or
  /// kvm-rfc2 in force on a KVM other than the patch's 5.8 base.
  public var patchRunsRebased: Bool {
    (mechanism.design?.needsKVMPatch ?? false) && kvmPin && HostKVMFacts(kvm).patchIsRebased
  }

  /// Whether both versions are the defaults (5.8 and 5.8).
  public var versionsAreDefault: Bool { kernel == .seedBase && kvm == .seedBase }

  /// `kernel 5.8 · kvm 6.4 (patch rebased)`: the versions as the TUI's mode line shows them.
  public var versionsLabel: String {
    "kernel \(kernel) · kvm \(kvm)" + (patchRunsRebased ? " (patch rebased)" : "")
  }
}
