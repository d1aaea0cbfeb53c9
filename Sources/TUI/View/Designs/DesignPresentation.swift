import Engine

/// What the TUI shows of a bit under a design: pinned high or low, free to pin, not pinnable,
/// or watched by an intercept (VTL1, Xen's monitor).
enum BitHold: Equatable {
  case high, low, free, notPinnable
  /// An intercept or monitor watches the bit.
  case intercepted
  /// Nothing watches the bit under a design that watches rather than pins.
  case notIntercepted
}

/// How the TUI presents a pinning design: the MSR panel's rows, the pin keys, the "hold" of a
/// bit (register grid symbols, detail pane, compare pane) and the register panel's edge.
///
/// Every registered design conforms, in its own file under `Sources/TUI/View/Designs/`
/// (`extension HekiPinning: DesignPresentation {}`; a test checks). Every requirement has a
/// default that shows the design's effective pins as high/low masks, its MSRs (if any) as the
/// VMM would read them, and no pin keys: an empty conformance is a complete companion.
protocol DesignPresentation: PinningDesign {
  /// The MSR panel's title.
  static func panelTitle(_ vm: VirtualMachine) -> String
  /// The MSR panel's rows for vCPU `vcpu` (EFER and CR3 follow).
  static func panelRows(_ vm: VirtualMachine, vcpu: Int) -> [[Run]]
  /// The register panel's edge for `register`: what may be pinned and what is.
  static func masks(
    _ vm: VirtualMachine, vcpu: Int, register: PinnableRegister, format: (UInt64) -> String
  ) -> [Run]
  /// How the design holds one bit on vCPU `vcpu`.
  static func hold(_ vm: VirtualMachine, vcpu: Int, register: PinnableRegister, mask: UInt64)
    -> BitHold
  /// The detail pane's words for the hold of `bit`.
  static func holdText(_ vm: VirtualMachine, vcpu: Int, bit: BitInfo) -> Run
  /// The compare pane's hold of the cursor bit (`CompareColumns.Hold`).
  static func compareHold(_ vm: VirtualMachine, vcpu: Int, cursor: BitCursor) -> CompareColumns.Hold
  /// Whether the legend shows intercepts only (the design watches rather than pins).
  static var watchesBits: Bool { get }
  /// What pin key `key` does on `vcpu` for the cursor bit, or why it does nothing.
  static func action(
    for key: PinKey, in vm: VirtualMachine, vcpu: Int, cursor: BitCursor
  ) -> Result<Action, PinKeyRefusal>
}

extension DesignPresentation {
  static func panelTitle(_ vm: VirtualMachine) -> String { "\(name) MSRs" }

  static func panelRows(_ vm: VirtualMachine, vcpu: Int) -> [[Run]] {
    msrs.map { info in
      let read = vm.hostRead(msr: info.number, on: vcpu)
      return [
        Run(" " + Hex.short(UInt64(info.number)) + " ", .dim), Run(info.shortName.padded(to: 16)),
        read.map { panelValue($0, highlight: !info.shortName.hasSuffix("_ALLOWED")) }
          ?? Run("unknown", .dim),
      ]
    }
  }

  static func masks(
    _ vm: VirtualMachine, vcpu: Int, register: PinnableRegister, format: (UInt64) -> String
  ) -> [Run] {
    let allowed = vm.pinAllowed(register, on: vcpu)
    let pins = vm.effectivePins(on: vcpu)
    let high = pins.high(register)
    let low = pins.low(register)
    return [
      Run("allowed ", .dim), Run(format(allowed)), Run("  ▲ high ", .dim),
      Run(format(high), high != 0 ? .pinned : .normal), Run("  ▼ low ", .dim),
      Run(format(low), low != 0 ? .pinned : .normal),
    ]
  }

  static func hold(_ vm: VirtualMachine, vcpu: Int, register: PinnableRegister, mask: UInt64)
    -> BitHold
  {
    let pins = vm.effectivePins(on: vcpu)
    if pins.high(register) & mask != 0 { return .high }
    if pins.low(register) & mask != 0 { return .low }
    return vm.pinAllowed(register, on: vcpu) & mask != 0 ? .free : .notPinnable
  }

  static func holdText(_ vm: VirtualMachine, vcpu: Int, bit: BitInfo) -> Run {
    switch hold(vm, vcpu: vcpu, register: bit.register, mask: bit.mask) {
    case .high: Run("pinned HIGH ▲", .pinned)
    case .low: Run("pinned LOW ▼", .pinned)
    case .free: Run("pinnable, free ◦")
    case .notPinnable: Run("not pinnable", .dim)
    case .intercepted: Run("intercepted ◆", .pinned)
    case .notIntercepted: Run("not intercepted", .dim)
    }
  }

  static func compareHold(_ vm: VirtualMachine, vcpu: Int, cursor: BitCursor) -> CompareColumns.Hold {
    switch hold(vm, vcpu: vcpu, register: cursor.register, mask: cursor.mask) {
    case .high: .pinnedHigh
    case .low: .pinnedLow
    case .free: .free
    case .notPinnable: .notPinnable
    case .intercepted: .intercepted(policy: "watched")
    case .notIntercepted: .notIntercepted
    }
  }

  static var watchesBits: Bool { false }

  static func action(
    for key: PinKey, in vm: VirtualMachine, vcpu: Int, cursor: BitCursor
  ) -> Result<Action, PinKeyRefusal> {
    .failure(PinKeyRefusal("\(name) has no pin keys: M switches the mechanism"))
  }

  /// A mask in the MSR panel, highlighted when it pins something.
  static func panelValue(_ value: UInt64, highlight: Bool) -> Run {
    Run(Hex.padded(value, digits: 8), highlight && value != 0 ? .pinned : .normal)
  }
}

/// The companion of the design in force.
enum Presentation {
  /// The design in force's companion (`NoPinning`'s if a design lacks one: a test forbids it).
  static func of(_ vm: VirtualMachine) -> any DesignPresentation.Type {
    vm.designType as? any DesignPresentation.Type ?? NoPinning.self
  }

  /// The symbol under a bit in the register grids: ▲ ▼ ◦ ◆, or nothing.
  static func symbol(_ vm: VirtualMachine, vcpu: Int, register: PinnableRegister, mask: UInt64) -> Run? {
    switch of(vm).hold(vm, vcpu: vcpu, register: register, mask: mask) {
    case .high: Run("▲", .pinned)
    case .low: Run("▼", .pinned)
    case .free: Run("◦", .dim)
    case .intercepted: Run("◆", .pinned)
    case .notPinnable, .notIntercepted: nil
    }
  }
}
