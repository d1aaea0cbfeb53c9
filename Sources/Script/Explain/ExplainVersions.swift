import Engine

/// The versions `crpin explain --kernel X --kvm Y` decodes for. Without either option the
/// decoding is KVM 5.8's with Linux 5.8's badges, as it always read; with one, each CR0/CR4 bit
/// also says what the chosen kernel and KVM do with it (`BitVersionFacts`), with sources.
public struct ExplainVersions: Equatable, Sendable {
  /// The guest kernel's version.
  public var kernel: LinuxVersion
  /// The host KVM's version.
  public var kvm: LinuxVersion
  /// Whether the user chose versions (then every bit gets its version facts).
  public var shown: Bool

  /// The given versions (a nil one is 5.8); `shown` when either was given.
  public init(kernel: LinuxVersion?, kvm: LinuxVersion?) {
    self.kernel = kernel ?? .seedBase
    self.kvm = kvm ?? .seedBase
    shown = kernel != nil || kvm != nil
  }

  /// No versions chosen: KVM 5.8 and Linux 5.8, no version lines.
  public static let `default` = ExplainVersions(kernel: nil, kvm: nil)

  /// The VM options with these versions.
  var options: VMOptions {
    var options = VMOptions()
    options.kernel = kernel
    options.kvm = kvm
    return options
  }

  /// The CR4 bits native pinning captured at boot under these versions (crpin's CPU model):
  /// the values bits are pinned to.
  var bootPins: UInt64? { VirtualMachine(bootedWith: 1, options: options).nativePinnedCR4 }

  /// The CR4 bits this KVM knows.
  var knownCR4: UInt64 { HostKVMFacts(kvm).knownCR4 }

  /// The facts of one bit.
  func facts(_ register: PinnableRegister, mask: UInt64) -> BitVersionFacts {
    BitVersionFacts(register, mask: mask, options: options)
  }

  /// A bit's version facts for `crpin explain`: one line (`Linux 5.9 / KVM 6.4: known; pinned
  /// natively to 0; guest-owned on VMX …`), then the sources of the facts that are not KVM
  /// 5.8's plain known bits; each line starts with `margin`.
  func bitLines(_ register: PinnableRegister, mask: UInt64, bootPins: UInt64?, margin: String) -> String {
    let facts = facts(register, mask: mask)
    var said: [String] = []
    var sources: [String] = []
    if facts.knownToKVM {
      // KVM 6.18 knows CET only when SHSTK or IBT is in the guest's CPUID.
      said.append(register == .cr4 && mask == CR4.cet ? "known (with SHSTK or IBT in CPUID)" : "known")
      if facts.knownSource != BitVersionFacts.plainKnownSource { sources.append(facts.knownSource) }
    } else {
      said.append(register == .cr4 ? "reserved (#GP)" : "not a CR0 bit (dropped)")
      sources.append(facts.knownSource)
    }
    switch facts.nativePin(bootPins: bootPins) {
    case .notInMask: said.append("not pinned natively")
    case .off: said.append("in the native mask, native pinning off")
    case .pinned(let to): said.append("pinned natively to \(to ? 1 : 0) (its boot value)")
    case .clearNotPinned: said.append("clear at boot, so not pinned (before 5.8 only set bits are)")
    }
    if facts.inNativeMask { sources.append(facts.nativeSource) }
    if facts.guestOwned {
      said.append(
        "guest-owned on VMX: a write changing only it never reaches kvm_set_cr\(register == .cr0 ? "0" : "4"), "
          + "so a hypervisor pin on it is not enforced")
      sources.append(facts.guestOwnedSource)
    }
    var text = margin + "Linux \(kernel) / KVM \(kvm): " + said.joined(separator: "; ")
    if !sources.isEmpty { text += margin + "  source: " + sources.joined(separator: "; ") }
    return text
  }

  /// The summary line under the header: which versions, and whether the patch is a rebase.
  var header: String {
    var text = "  versions: guest Linux \(kernel), host KVM \(kvm)"
    if HostKVMFacts(kvm).patchIsRebased {
      text += " (the 2020 patch is 5.8-based: its pin check is shown as if rebased)"
    }
    if !GuestKernelFacts(kernel).isCovered || !HostKVMFacts(kvm).isCovered {
      text += "; crpin's facts end at \(LinuxVersion.latestFact): what changed since is undecided"
    }
    return text
  }

  /// What native pinning does with a write of `value` on a guest booted under these versions:
  /// the bits it puts back and its warning; nil when it would not act.
  func nativeLine(_ register: PinnableRegister, value: UInt64) -> String? {
    let facts = GuestKernelFacts(kernel)
    guard facts.hasNativePinning else {
      return "  native (Linux \(kernel)): no native CR pinning before 5.3"
    }
    switch register {
    case .cr0:
      guard value & CR0.wp == 0 else { return nil }
      return "  native (Linux \(kernel)): WP clear — native_write_cr0() sets it again and warns "
        + "`\(GuestKernelFacts.cr0Warning)`"
    case .cr4:
      guard let pins = bootPins else { return nil }
      let mask = facts.nativeCR4Mask
      let changed = facts.pinsToBootValue ? (value & mask) ^ pins : pins & ~value
      guard changed != 0 else { return nil }
      return "  native (Linux \(kernel)): changes pinned \(BitList.labels(changed, .cr4)) — "
        + "native_write_cr4() puts \(changed.nonzeroBitCount == 1 ? "it" : "them") back and warns "
        + "`\(facts.cr4Warning(changed: changed))`"
    }
  }
}
