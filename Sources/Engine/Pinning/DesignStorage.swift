/// Where a VM keeps its `DesignState`: behind one shared, copy-on-write reference.
///
/// A VM is copied on every `apply` (the outcome keeps the VM after the action and the VM-wide
/// values before it), and copying the registry's enum itself means a switch over the designs
/// and a retain of the payload's per-vCPU array each time. Behind this reference a copy is one
/// retain, two VMs that share it compare equal without a look inside, and only a change of the
/// design's state (a pin-MSR write, a boot, a reset) pays for a copy, when the state is shared.
struct DesignStorage: Hashable, Sendable {
  /// The shared state; changed only through `state`'s `_modify`, when uniquely referenced.
  private var box: Box

  /// Storage holding `state`.
  init(_ state: DesignState) { box = Box(state) }

  /// The design state, read in place and changed in place (copied first only when shared).
  var state: DesignState {
    @inline(__always) _read { yield box.state }
    @inline(__always) _modify {
      if !isKnownUniquelyReferenced(&box) { box = Box(box.state) }
      yield &box.state
    }
  }

  static func == (lhs: DesignStorage, rhs: DesignStorage) -> Bool {
    lhs.box === rhs.box || lhs.box.state == rhs.box.state
  }

  func hash(into hasher: inout Hasher) { hasher.combine(box.state) }

  /// The reference: a value is never changed while another storage shares it, which is what
  /// makes it safe to send.
  private final class Box: @unchecked Sendable {
    /// Unchecked: every access goes through `DesignStorage`, which never overlaps them, and a
    /// checked class property would cost a runtime exclusivity check on every read.
    @exclusivity(unchecked) var state: DesignState
    init(_ state: DesignState) { self.state = state }
  }
}
