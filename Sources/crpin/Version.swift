import CBuildInfo

/// What `crpin --version` prints: the release number and the commit the binary was built from.
enum Version {
  /// crpin's release number; raise it with each release.
  static let number = "0.1.0"

  /// The abbreviated commit (`-dirty` when the tree had uncommitted changes) that
  /// scripts/stamp-commit baked in, or `unknown` for a build without the stamp.
  static var commit: String { String(cString: crpin_build_commit()) }

  /// `crpin 0.1.0 (4c59785)`.
  static var line: String { "crpin \(number) (\(commit))" }
}
