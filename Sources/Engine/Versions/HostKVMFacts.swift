/// What a host KVM version does with a guest's CR0/CR4 write, where it differs from 5.8: which
/// CR4 bits it knows, which bits the guest owns on VMX (a write changing only those never exits,
/// so neither KVM's checks nor a pin check in `kvm_set_cr*` see it), CET's rules, and what a
/// failed RSM does. Every fact, with its commit or Message-ID: docs/versions.md.
///
/// The 2020 patch was posted against 5.8 and never merged: on another version crpin applies its
/// pin check as if rebased there (`patchIsRebased`), and says so.
public struct HostKVMFacts: Equatable, Sendable {
  /// The version the facts are for.
  public let version: LinuxVersion

  /// The facts of `version`.
  public init(_ version: LinuxVersion) { self.version = version }

  /// Whether the patch's pin check runs here only as a what-if: every version but its 5.8 base.
  public var patchIsRebased: Bool { version != .seedBase }

  /// The CR4 bits KVM knows (`CR4_RESERVED_BITS`' complement); the rest #GP: 5.8's set
  /// (`CR4.knownToKVM`), + LAM_SUP (6.8, kvm-x86-lam-6.8), + CET (6.18, kvm-x86-cet-6.18).
  /// FRED, LASS, PKS, KL, UINTR stay unknown (KVM FRED and LASS support is unmerged).
  public var knownCR4: UInt64 {
    var known = CR4.knownToKVM
    if version >= LinuxVersion(6, 8) { known |= CR4.lamSup }
    if version >= LinuxVersion(6, 18) { known |= CR4.cet }
    return known
  }

  /// CR0 bits possibly guest-owned on VMX: TS (5.8); + WP with EPT (6.4, fb509f76acc8 "KVM:
  /// VMX: Make CR0.WP a guest owned bit"; backported to 6.1, 5.15 and 5.10).
  public func guestOwnedCR0(ept: Bool = true) -> UInt64 {
    version >= LinuxVersion(6, 4) && ept ? CR0.ts | CR0.wp : CR0.ts
  }

  /// CR4 bits possibly guest-owned on VMX (`KVM_POSSIBLE_CR4_GUEST_BITS`): PVI DE PCE OSFXSR
  /// OSXMMEXCPT LA57 PGE (5.8); + TSD (5.9); − LA57, + FSGSBASE (5.10); + CET (6.18).
  public var guestOwnedCR4: UInt64 {
    var owned = CR4.pvi | CR4.de | CR4.pce | CR4.osfxsr | CR4.osxmmexcpt | CR4.la57 | CR4.pge
    if version >= LinuxVersion(5, 9) { owned |= CR4.tsd }
    if version >= LinuxVersion(5, 10) { owned = (owned & ~CR4.la57) | CR4.fsgsbase }
    if version >= LinuxVersion(6, 18) { owned |= CR4.cet }
    return owned
  }

  /// CET's rules (6.18, "Add fault checks for guest CR4.CET"): clearing CR0.WP while CR4.CET is
  /// set, or setting CR4.CET while CR0.WP is clear, is #GP.
  public var checksCETAndWP: Bool { version >= LinuxVersion(6, 18) }

  /// A failed RSM emulation shuts the VM down (triple fault) since 5.14 (25b17226cd9a
  /// "Emulate triple fault shutdown if RSM emulation fails"); before, KVM exited to the VMM
  /// with an emulation error.
  public var failedRSMShutsDown: Bool { version >= LinuxVersion(5, 14) }

  /// SMM emulation lives in `arch/x86/kvm/smm.c` (6.2); SMI entry writes CR0/CR4 through the
  /// vendor hooks, RSM restores through `kvm_set_cr3/4/0` (the order crpin models).
  public var smmInSMMFile: Bool { version >= LinuxVersion(6, 2) }

  /// Whether the facts reach this version; false past `LinuxVersion.latestFact`.
  public var isCovered: Bool { version <= .latestFact }
}
