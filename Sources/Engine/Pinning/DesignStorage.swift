/// Where a VM keeps its `DesignState`: behind one shared, copy-on-write reference.
///
/// A VM is copied on every `apply` (the outcome keeps the VM after the action and the VM-wide
/// values before it), and copying the registry's enum itself means a switch over the designs
/// and a retain of the payload's per-vCPU array each time. Behind this reference a copy is one
/// retain, two VMs that share it compare equal without a look inside, and only a change of the
/// design's state (a pin-MSR write, a boot, a reset) pays for a copy, when the state is shared.
///
/// Beside the state, the reference keeps `plainCR4Pins`, derived from it after every change:
/// what `step`'s fast path for a guest MOV to CR4 reads in place of the design's hooks.
@usableFromInline
struct DesignStorage: Hashable, Sendable {
  /// The shared state; changed only through `state`'s `_modify`, when uniquely referenced
  /// (internal only for `plainCR4Pins`, which `step`'s inlinable path reads).
  @usableFromInline var box: Box

  /// Storage holding `state`.
  init(_ state: DesignState) { box = Box(state) }

  /// The design state, read in place and changed in place (copied first only when shared).
  var state: DesignState {
    @inline(__always) _read { yield box.state }
    @inline(__always) _modify {
      if !isKnownUniquelyReferenced(&box) { box = Box(box.state) }
      yield &box.state
      box.refreshPlainPins()
    }
  }

  /// Whether the design's whole say over a guest MOV to CR4 is the patch's mask check outside
  /// SMM and L2 (`PinRules.checksOnlyEffectivePins`): then `plainCR4Pins` gives its pins.
  var hasPlainCR4Pins: Bool { box.hasPlainPins }

  /// The CR4 pins of vCPU `index` (high, low) when `hasPlainCR4Pins` (all zero otherwise).
  /// Always what `state` gives (kept with it after each change). `index` must be a vCPU's.
  @inlinable @inline(__always)
  func plainCR4Pins(on index: Int) -> (high: UInt64, low: UInt64) {
    (box.plainPins.high[index], box.plainPins.low[index])
  }

  @usableFromInline
  static func == (lhs: DesignStorage, rhs: DesignStorage) -> Bool {
    lhs.box === rhs.box || lhs.box.state == rhs.box.state
  }

  @usableFromInline
  func hash(into hasher: inout Hasher) { hasher.combine(box.state) }

  /// The reference: a value is never changed while another storage shares it, which is what
  /// makes it safe to send.
  @usableFromInline
  final class Box: @unchecked Sendable {
    /// Unchecked: every access goes through `DesignStorage`, which never overlaps them, and a
    /// checked class property would cost a runtime exclusivity check on every read.
    @exclusivity(unchecked) var state: DesignState
    /// Whether `state`'s design `checksOnlyEffectivePins`.
    @usableFromInline @exclusivity(unchecked) var hasPlainPins = false
    /// Its CR4 pins then (all zero otherwise).
    @usableFromInline @exclusivity(unchecked) var plainPins = PlainPins()

    init(_ state: DesignState) {
      self.state = state
      refreshPlainPins()
    }

    /// Derives the plain pins from `state` again.
    func refreshPlainPins() {
      let pins = state.read(PlainPins.Collect())
      hasPlainPins = pins != nil
      plainPins = pins ?? PlainPins()
    }
  }
}

/// The CR4 pins of each vCPU (at most `VirtualMachine.maxVCPUs`), for a design whose check of a
/// guest MOV is only the patch's mask check of its effective pins outside SMM and L2.
@usableFromInline
struct PlainPins: Sendable {
  /// CR4 bits pinned to 1, per vCPU.
  @usableFromInline var high: InlineArray<8, UInt64>
  /// CR4 bits pinned to 0, per vCPU.
  @usableFromInline var low: InlineArray<8, UInt64>

  /// No pins on any vCPU.
  init() {
    high = InlineArray(repeating: 0)
    low = InlineArray(repeating: 0)
  }

  /// Reads the effective pins of every vCPU, for a design that `checksOnlyEffectivePins`.
  struct Collect: DesignReader {
    @inline(__always)
    func read<Design: PinRules, Report: WriteReport>(
      _ payload: DesignPayload<Design>, into report: inout Report
    ) -> PlainPins? {
      guard Design.checksOnlyEffectivePins, payload.vcpus.count <= VirtualMachine.maxVCPUs else {
        return nil
      }
      var pins = PlainPins()
      for index in payload.vcpus.indices {
        let masks = Design.effectivePins(payload, on: index)
        pins.high[index] = masks.cr4High
        pins.low[index] = masks.cr4Low
      }
      return pins
    }
  }
}
