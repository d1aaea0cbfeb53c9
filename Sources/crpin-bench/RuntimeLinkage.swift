import Foundation

/// How this benchmark was linked: the figures in docs/performance.md come from builds with the
/// Swift runtime linked in (`--static-swift-stdlib`, as `scripts/run` builds `crpin`). With the
/// runtime as a shared library, each retain, release and uniqueness check is an indirect call
/// through the dynamic linker's table, and `engine_vs_c` reads about 0.4x higher.
enum RuntimeLinkage {
  /// Whether the Swift runtime was loaded as a shared library (`libswiftCore.so` is mapped).
  static var isShared: Bool {
    guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return false }
    return maps.contains("libswiftCore.so")
  }

  /// Says on standard error when the runtime is shared, so that figures are not compared with
  /// the table's by mistake.
  static func warnIfShared() {
    guard isShared else { return }
    FileHandle.standardError.write(
      Data(
        ("crpin-bench: note: the Swift runtime is a shared library here; docs/performance.md's "
          + "figures come from builds with --static-swift-stdlib\n").utf8))
  }
}
