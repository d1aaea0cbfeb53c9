/// Where a VM keeps what changes seldom — its options (`VMOptions`) and its design's state
/// (`DesignState`) — behind one shared, copy-on-write reference.
///
/// A VM is copied on every `apply` (the outcome keeps the VM after the action and the VM-wide
/// values before it). Behind this reference a copy is one retain, not 88 bytes of options and a
/// switch over the designs with a retain of the payload's per-vCPU array; two VMs that share it
/// compare equal without a look inside; and only a change (an option set, a pin-MSR write, a
/// boot, a reset) pays for a copy, when the reference is shared. The options sit here so that
/// the VM stays under the 128 bytes past which the compiler copies it through `memcpy`, with
/// each vCPU's CR4 kept inline (`VCPUs`), and so that a copy retains one reference for both.
///
/// Beside the state, the reference keeps `plainCR4Pins`, derived from it after every change:
/// what `step`'s fast path for a guest MOV to CR4 reads in place of the design's hooks.
@usableFromInline
struct MachineStorage: Hashable, Sendable {
  /// The shared values; changed only through `options`' and `design`'s `_modify`, when uniquely
  /// referenced (internal only for `plainCR4Pins`, which `step`'s inlinable path reads).
  @usableFromInline var box: Box

  /// Storage holding `options` and `design`.
  init(options: VMOptions, design: DesignState) { box = Box(options: options, design: design) }

  /// The options, read in place and changed in place (copied first only when shared).
  var options: VMOptions {
    @inline(__always) _read { yield box.options }
    @inline(__always) _modify {
      if !isKnownUniquelyReferenced(&box) { box = Box(copying: box) }
      yield &box.options
    }
  }

  /// The design state, read in place and changed in place (copied first only when shared).
  var design: DesignState {
    @inline(__always) _read { yield box.design }
    @inline(__always) _modify {
      if !isKnownUniquelyReferenced(&box) { box = Box(copying: box) }
      yield &box.design
      box.refreshPlainPins()
    }
  }

  /// Whether the design's whole say over a guest MOV to CR4 is the patch's mask check outside
  /// SMM and L2 (`PinRules.checksOnlyEffectivePins`): then `plainCR4Pins` gives its pins.
  var hasPlainCR4Pins: Bool { box.hasPlainPins }

  /// The CR4 pins of vCPU `index` (high, low) when `hasPlainCR4Pins` (all zero otherwise).
  /// Always what `design` gives (kept with it after each change). `index` must be a vCPU's.
  @inlinable @inline(__always)
  func plainCR4Pins(on index: Int) -> (high: UInt64, low: UInt64) {
    (box.plainPins.high[index], box.plainPins.low[index])
  }

  @usableFromInline
  static func == (lhs: MachineStorage, rhs: MachineStorage) -> Bool {
    lhs.box === rhs.box || (lhs.box.options == rhs.box.options && lhs.box.design == rhs.box.design)
  }

  @usableFromInline
  func hash(into hasher: inout Hasher) {
    hasher.combine(box.options)
    hasher.combine(box.design)
  }

  /// The reference: a value is never changed while another storage shares it, which is what
  /// makes it safe to send.
  @usableFromInline
  final class Box: @unchecked Sendable {
    /// Whether `design`'s design `checksOnlyEffectivePins` (first, with `plainPins`: what
    /// `step`'s loop reads). Unchecked: every access goes through `MachineStorage`, which never
    /// overlaps them, and a checked class property would cost a runtime exclusivity check on
    /// every read.
    @usableFromInline @exclusivity(unchecked) var hasPlainPins = false
    /// Its CR4 pins then (all zero otherwise).
    @usableFromInline @exclusivity(unchecked) var plainPins = PlainPins()
    /// The options (unchecked, as `hasPlainPins`).
    @exclusivity(unchecked) var options: VMOptions
    /// The design state (unchecked, as `hasPlainPins`).
    @exclusivity(unchecked) var design: DesignState

    init(options: VMOptions, design: DesignState) {
      self.options = options
      self.design = design
      refreshPlainPins()
    }

    /// A copy of `other`, its derived pins with it.
    init(copying other: Box) {
      options = other.options
      design = other.design
      hasPlainPins = other.hasPlainPins
      plainPins = other.plainPins
    }

    /// Derives the plain pins from `design` again.
    func refreshPlainPins() {
      let pins = design.read(PlainPins.Collect())
      hasPlainPins = pins != nil
      plainPins = pins ?? PlainPins()
    }
  }
}
