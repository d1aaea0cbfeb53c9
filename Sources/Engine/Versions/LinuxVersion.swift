/// A Linux release, `MAJOR.MINOR`, as the guest kernel's or the host KVM's version.
///
/// crpin's facts are change points (docs/versions.md): a version between two change points
/// behaves as the earlier one. Versions newer than `LinuxVersion.latestFact` are accepted and
/// modelled as the latest facts, and the model says that what changed since is undecided.
public struct LinuxVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
  /// The major number (5 in 5.8).
  public var major: Int { Int(majorNumber) }
  /// The minor number (8 in 5.8).
  public var minor: Int { Int(minorNumber) }
  // Two bytes each (the parser takes three digits at most, and a rule's version tag packs each
  // in 16 bits): every VM carries two versions in its options, and every `apply` copies them.
  private let majorNumber: UInt16
  private let minorNumber: UInt16

  /// The version `major.minor` (each clamped to 0...65,535).
  public init(_ major: Int, _ minor: Int) {
    majorNumber = UInt16(clamping: major)
    minorNumber = UInt16(clamping: minor)
  }

  /// Parses `MAJOR.MINOR` (a trailing `.PATCH` or `-suffix` is refused: crpin's facts are per
  /// release); nil for anything else.
  public init?(_ text: some StringProtocol) {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]),
      parts.allSatisfy({ $0.allSatisfy(\.isASCII) && !$0.isEmpty && $0.count <= 3 }),
      major >= 0, minor >= 0
    else { return nil }
    self.init(major, minor)
  }

  /// `5.8`.
  public var description: String { "\(major).\(minor)" }

  public static func < (a: LinuxVersion, b: LinuxVersion) -> Bool {
    (a.major, a.minor) < (b.major, b.minor)
  }

  /// The seed patch's base, and crpin's default for both the guest kernel and the host KVM.
  public static let seedBase = LinuxVersion(5, 8)
  /// The newest release crpin has facts for (docs/versions.md: KVM's CET support, 6.18; Linux's
  /// LASS, 6.19, which does not change pinning). Later versions are modelled as this one.
  public static let latestFact = LinuxVersion(6, 19)
  /// The oldest guest kernel with native CR pinning (873d50d58f67, 5.3).
  public static let firstNativePinning = LinuxVersion(5, 3)
}
