/// What a guest kernel version does to CR0/CR4, as far as pinning goes: native pinning's mask,
/// values and warning, and what `boot` sets. Every fact, with its commit: docs/versions.md.
public struct GuestKernelFacts: Equatable, Sendable {
  /// The version the facts are for.
  public let version: LinuxVersion

  /// The facts of `version`.
  public init(_ version: LinuxVersion) { self.version = version }

  /// Whether the kernel pins CR bits natively (873d50d58f67 and 8dbec27a242c, 5.3).
  public var hasNativePinning: Bool { version >= .firstNativePinning }

  /// Whether CR4 bits are held at their boot value, 0 included (a13b9d0b9721 "x86/cpu: Use
  /// pinning mask for CR4 bits needing to be 0", 5.8); before, only missing bits were set again.
  public var pinsToBootValue: Bool { version >= LinuxVersion(5, 8) }

  /// `cr4_pinned_mask` (or, before 5.8, the bits captured from the boot CR4): SMEP, SMAP,
  /// UMIP (5.3); + FSGSBASE (5.8, a13b9d0b9721); + CET (5.18, 991625f3dd2c); + FRED (6.9,
  /// 95d34efac1a0). LASS (6.19) is not pinned. Empty before 5.3.
  public var nativeCR4Mask: UInt64 {
    guard hasNativePinning else { return 0 }
    var mask = CR4.smep | CR4.smap | CR4.umip
    if version >= LinuxVersion(5, 8) { mask |= CR4.fsgsbase }
    if version >= LinuxVersion(5, 18) { mask |= CR4.cet }
    if version >= LinuxVersion(6, 9) { mask |= CR4.fred }
    return mask
  }

  /// CR0 native pinning: WP only, to 1, since 5.3 (8dbec27a242c; unchanged since).
  public var nativeCR0Mask: UInt64 { hasNativePinning ? CR0.wp : 0 }

  /// The `WARN_ONCE` text after native pinning corrected CR4 bits `changed`:
  /// `CR4 bits went missing: %lx!?` (5.3-5.7, no `0x`), `pinned CR4 bits changed: 0x%lx!?`
  /// (5.8 on). 5.7.y stable releases carrying the a13b9d0b9721 backport print the later text.
  public func cr4Warning(changed: UInt64) -> String {
    pinsToBootValue ? "pinned CR4 bits changed: \(Hex.short(changed))!?" : Self.missingWarning(changed)
  }

  /// 5.3-5.7's CR4 warning, `CR4 bits went missing: %lx!?` (no `0x`; 873d50d58f67).
  public static func missingWarning(_ bits: UInt64) -> String {
    "CR4 bits went missing: \(String(bits, radix: 16))!?"
  }

  /// Whether `boot` sets CR4.CET on a CPU with CET (IBT): 5.18's `ibt_setup`, 991625f3dd2c
  /// "x86/ibt: Add IBT feature, MSR and #CP handling" (a kernel built with
  /// CONFIG_X86_KERNEL_IBT).
  public var bootSetsCET: Bool { version >= LinuxVersion(5, 18) }

  /// The CR0 warning, `CR0 WP bit went missing!?` in every version since 5.3.
  public static let cr0Warning = "CR0 WP bit went missing!?"

  /// Whether `boot` sets CR4.FSGSBASE on a CPU that has it (b745cfba44c1, 5.9; before, it
  /// stayed clear, and 5.8's mask pinned it to 0).
  public var bootSetsFSGSBASE: Bool { version >= LinuxVersion(5, 9) }

  /// Whether the facts reach this version; false past `LinuxVersion.latestFact`, where the
  /// model applies the latest facts and says so.
  public var isCovered: Bool { version <= .latestFact }
}
