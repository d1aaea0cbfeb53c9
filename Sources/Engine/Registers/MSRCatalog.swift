/// An MSR crpin knows: its number, its names and what it is for.
public struct MSRInfo: Equatable, Sendable {
  /// The MSR number (ECX of RDMSR/WRMSR).
  public let number: UInt32
  /// The kernel's name, e.g. `MSR_KVM_CR4_PINNED_HIGH`.
  public let name: String
  /// The name without its `MSR_KVM_` / `MSR_` prefix, e.g. `CR4_PINNED_HIGH`.
  public let shortName: String
  /// What the MSR holds and who may write it.
  public let description: String
}

/// The MSRs of the paravirtual pinning patch, and EFER.
public enum MSRNumber {
  public static let efer: UInt32 = 0xc000_0080
  public static let cr0PinAllowed: UInt32 = 0x4b56_4d08
  public static let cr4PinAllowed: UInt32 = 0x4b56_4d09
  public static let cr0PinnedLow: UInt32 = 0x4b56_4d0a
  public static let cr0PinnedHigh: UInt32 = 0x4b56_4d0b
  public static let cr4PinnedLow: UInt32 = 0x4b56_4d0c
  public static let cr4PinnedHigh: UInt32 = 0x4b56_4d0d
}

/// Lookup of MSRs by number or name.
public enum MSRCatalog {
  /// Every MSR crpin models, pin MSRs in number order, then EFER.
  public static let all: [MSRInfo] = [
    MSRInfo(
      number: MSRNumber.cr0PinAllowed, name: "MSR_KVM_CR0_PIN_ALLOWED",
      shortName: "CR0_PIN_ALLOWED",
      description:
        "Read only: the CR0 bits a guest may pin (WP, 0x10000). A write succeeds only with "
        + "exactly that value, so a VMM can restore its MSR list verbatim."),
    MSRInfo(
      number: MSRNumber.cr4PinAllowed, name: "MSR_KVM_CR4_PIN_ALLOWED",
      shortName: "CR4_PIN_ALLOWED",
      description:
        "Read only: the CR4 bits a guest may pin (UMIP | SMEP | SMAP, 0x300800). A write "
        + "succeeds only with exactly that value."),
    MSRInfo(
      number: MSRNumber.cr0PinnedLow, name: "MSR_KVM_CR0_PINNED_LOW",
      shortName: "CR0_PINNED_LOW",
      description:
        "CR0 bits pinned to 0. The guest may add bits, never remove them; the VMM may change "
        + "them freely."),
    MSRInfo(
      number: MSRNumber.cr0PinnedHigh, name: "MSR_KVM_CR0_PINNED_HIGH",
      shortName: "CR0_PINNED_HIGH",
      description:
        "CR0 bits pinned to 1. The guest may add bits, never remove them; the VMM may change "
        + "them freely."),
    MSRInfo(
      number: MSRNumber.cr4PinnedLow, name: "MSR_KVM_CR4_PINNED_LOW",
      shortName: "CR4_PINNED_LOW",
      description:
        "CR4 bits pinned to 0. The guest may add bits, never remove them; the VMM may change "
        + "them freely."),
    MSRInfo(
      number: MSRNumber.cr4PinnedHigh, name: "MSR_KVM_CR4_PINNED_HIGH",
      shortName: "CR4_PINNED_HIGH",
      description:
        "CR4 bits pinned to 1. The guest may add bits, never remove them; the VMM may change "
        + "them freely."),
    MSRInfo(
      number: MSRNumber.efer, name: "MSR_EFER", shortName: "EFER",
      description:
        "Extended Feature Enable Register: SCE (bit 0), LME (8), LMA (10, read-only, set when "
        + "paging turns on with LME), NXE (11)."),
  ]

  /// The MSR with this number, if crpin knows it.
  public static func info(_ number: UInt32) -> MSRInfo? { all.first { $0.number == number } }

  /// Finds an MSR by name, case-insensitively, with or without its prefix:
  /// `MSR_KVM_CR4_PINNED_HIGH`, `KVM_CR4_PINNED_HIGH`, `CR4_PINNED_HIGH`, `EFER`, `MSR_EFER`.
  public static func lookup(name: String) -> MSRInfo? {
    let upper = name.uppercased()
    return all.first { info in
      upper == info.name || upper == info.shortName || upper == "KVM_" + info.shortName
        || upper == "MSR_" + info.shortName
    }
  }

  /// The display name of any MSR number: its short name, or the number in hex.
  public static func displayName(_ number: UInt32) -> String {
    info(number)?.shortName ?? Hex.short(UInt64(number))
  }
}

extension MSRCatalog {
  /// The pin MSRs of a mechanism's design, in number order (none for designs without MSRs).
  public static func pinMSRs(of mechanism: Mechanism) -> [MSRInfo] { mechanism.design?.msrs ?? [] }
}

extension VirtualMachine {
  /// What the VMM's KVM_GET_MSRS would read from MSR `number` on vCPU `index` under the design
  /// in force, or `nil` when this hypervisor does not have the MSR. Changes nothing.
  public func hostRead(msr number: UInt32, on index: Int) -> UInt64? {
    guard vcpus.indices.contains(index) else { return nil }
    if number == MSRNumber.efer { return vcpus[index].registers.efer }
    guard designHandles(msr: number) else { return nil }
    return readPinMSR(number, on: index)
  }
}
