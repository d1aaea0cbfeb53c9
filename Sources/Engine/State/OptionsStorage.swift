/// Where a VM keeps its `VMOptions`: behind one shared, copy-on-write reference.
///
/// The options take 88 bytes and change only when a command sets one; the VM is copied on
/// every `apply` (into the outcome, and for the VM-wide values saved before the action). Behind
/// this reference a copy is one retain, and the VM stays under the 128 bytes past which the
/// compiler copies it through `memcpy`, with room for each vCPU's CR4 kept inline (`VCPUs`).
@usableFromInline
struct OptionsStorage: Hashable, Sendable {
  /// The shared options (internal only for `step`'s inlinable path, which reads them).
  @usableFromInline var box: Box

  /// Storage holding `options`.
  init(_ options: VMOptions) { box = Box(options) }

  /// The options, read in place and changed in place (copied first only when shared).
  @usableFromInline var options: VMOptions {
    @inline(__always) _read { yield box.options }
    @inline(__always) _modify {
      if !isKnownUniquelyReferenced(&box) { box = Box(box.options) }
      yield &box.options
    }
  }

  @usableFromInline
  static func == (lhs: OptionsStorage, rhs: OptionsStorage) -> Bool {
    lhs.box === rhs.box || lhs.box.options == rhs.box.options
  }

  @usableFromInline
  func hash(into hasher: inout Hasher) { hasher.combine(box.options) }

  /// The reference: a value is never changed while another storage shares it, which is what
  /// makes it safe to send.
  @usableFromInline
  final class Box: @unchecked Sendable {
    /// Unchecked: every access goes through `OptionsStorage`, which never overlaps them, and a
    /// checked class property would cost a runtime exclusivity check on every read.
    @usableFromInline @exclusivity(unchecked) var options: VMOptions

    init(_ options: VMOptions) { self.options = options }
  }
}
