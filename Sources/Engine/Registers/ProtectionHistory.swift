/// Since when Linux has used a protection bit, and since when it pins it — each claim with the
/// source it comes from, because write-ups disagree (CR4 pinning "since 4.15" vs "since 5.3").
public struct VersionBadge: Equatable, Sendable {
  /// The short badge: `Linux 3.0+`, `pinned 5.3+`.
  public let badge: String
  /// What the badge means.
  public let claim: String
  /// Where the claim comes from.
  public let source: String
}

/// The version badges of the protection bits.
public enum ProtectionHistory {
  private static let pinningSource =
    "Linux commits of 2019 (CR4 SMEP/SMAP/UMIP and CR0.WP pinning, merged for 5.3), as "
    + "collected in crpin's teaching reference"

  /// The badges for a bit, oldest first; empty for bits crpin has no history for.
  public static func badges(for bit: BitInfo) -> [VersionBadge] {
    switch bit.qualifiedName {
    case "CR0.WP":
      return [
        VersionBadge(
          badge: "i486+", claim: "WP exists since the i486; Linux has always set it on x86-64",
          source: "Intel SDM Vol. 3A §2.5"),
        VersionBadge(
          badge: "pinned 5.3+", claim: "native_write_cr0() puts WP back and warns", source: pinningSource),
      ]
    case "CR4.SMEP":
      return [
        VersionBadge(
          badge: "Linux 3.0+", claim: "Linux enables SMEP on CPUs that have it (Ivy Bridge, 2012)",
          source: "Linux 3.0 (2011), \"x86, cpu: Enable/disable SMEP\""),
        VersionBadge(
          badge: "pinned 5.3+", claim: "native_write_cr4() puts SMEP back and warns", source: pinningSource),
      ]
    case "CR4.SMAP":
      return [
        VersionBadge(
          badge: "Linux 3.7+", claim: "Linux enables SMAP on CPUs that have it (Broadwell, 2014)",
          source: "Linux 3.7 (December 2012), x86 SMAP support"),
        VersionBadge(
          badge: "pinned 5.3+", claim: "native_write_cr4() puts SMAP back and warns", source: pinningSource),
      ]
    case "CR4.UMIP":
      return [
        VersionBadge(
          badge: "Linux 4.15+", claim: "Linux enables UMIP on CPUs that have it",
          source: "Linux 4.15 (January 2018), x86 UMIP support"),
        VersionBadge(
          badge: "pinned 5.3+", claim: "native_write_cr4() puts UMIP back and warns", source: pinningSource),
      ]
    case "CR4.FSGSBASE":
      return [
        VersionBadge(
          badge: "pinned 5.8+",
          claim: "native_write_cr4() holds FSGSBASE at its boot value: 0 on 5.8, which leaves it clear",
          source:
            "a13b9d0b9721 \"x86/cpu: Use pinning mask for CR4 bits needing to be 0\" (5.8-rc, June 2020)"),
        VersionBadge(
          badge: "Linux 5.9+",
          claim: "Linux sets FSGSBASE at boot, so from 5.9 it is pinned to 1",
          source: "b745cfba44c1 \"x86/cpu: Enable FSGSBASE on 64bit by default and add a chicken bit\""),
      ]
    default:
      return []
    }
  }
}
