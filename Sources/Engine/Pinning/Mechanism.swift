/// The answers to "keep SMEP/SMAP/UMIP/WP on in a guest" that crpin can put side by side.
public enum Mechanism: String, CaseIterable, Sendable, Codable {
  /// The seed patch (June 2020): six MSRs, per-vCPU high/low masks. The default.
  case kvm2020 = "kvm-2020"
  /// The February 2020 draft: four MSRs, pin-to-value, guest OR / host replace, SMRAM rewritten.
  case kvmRFC2 = "kvm-rfc2"
  /// Heki (RFC v3, May 2024): `KVM_HC_LOCK_CR_UPDATE`, per-VM OR-only locks, never cleared.
  case heki
  /// Hyper-V Virtual Secure Mode: VTL1 intercepts VTL0's CR writes (as LVBS uses them).
  case vtl1
  /// The guest kernel's own pinning only.
  case native
  /// Nothing at all: no hypervisor pins, native pinning off.
  case none

  /// One line on the design.
  public var summary: String {
    switch self {
    case .kvm2020: "KVM paravirtual CR pinning, June 2020 (the seed patch): MSRs 0x4b564d08-0d"
    case .kvmRFC2: "KVM CR pin MSRs, February 2020 draft (RFC v2): MSRs 0x4b564d06-09, pin to value"
    case .heki: "Heki CR locking, May 2024 (RFC v3): hypercall KVM_HC_LOCK_CR_UPDATE, per VM"
    case .vtl1: "Hyper-V VSM secure intercepts (LVBS): VTL1 drops VTL0's CR writes"
    case .native: "Linux's own pinning in native_write_cr0/cr4 only"
    case .none: "no pinning at all"
    }
  }

  /// Where crpin's facts about the design come from.
  public var source: String {
    switch self {
    case .kvm2020: "Message-Id 20200617190757.27081-3-john.s.andersen@intel.com"
    case .kvmRFC2: "Sean Christopherson's review, Message-ID 20200303213541.GY1439@linux.intel.com"
    case .heki: "Message-ID 20240503131910.307630-3-mic@digikod.net (RFC v3 2/5)"
    case .vtl1: "Hyper-V TLFS \"Virtual Secure Mode\"; LVBS's VTL1 driver (mshv_vsm_lock_crs)"
    case .native: "Linux 5.3+ arch/x86/kernel/cpu/common.c (native_write_cr0/cr4)"
    case .none: "—"
    }
  }
}

/// What VTL1 does with a VTL0 write it intercepted.
public enum VTL1Policy: String, CaseIterable, Sendable, Codable {
  /// Skip the instruction: nothing changes, no fault (LVBS's first driver).
  case drop
  /// Inject #GP (a what-if: in neither source).
  case gp
  /// Let the write happen and log it (a what-if: in neither source).
  case allow
}

/// A value for CR0 and one for CR4.
public struct PinPair: Equatable, Hashable, Sendable, Codable {
  public var cr0: UInt64
  public var cr4: UInt64

  /// A pair with the given values (zero by default).
  public init(cr0: UInt64 = 0, cr4: UInt64 = 0) {
    self.cr0 = cr0
    self.cr4 = cr4
  }

  /// Both zero.
  public static let zero = PinPair()

  /// The value for one register.
  public subscript(register: PinnableRegister) -> UInt64 {
    get { register == .cr0 ? cr0 : cr4 }
    set {
      if register == .cr0 { cr0 = newValue } else { cr4 = newValue }
    }
  }

  /// Whether both are zero.
  public var isZero: Bool { cr0 == 0 && cr4 == 0 }
}
