/// A pinning design: one answer to "keep SMEP/SMAP/UMIP/WP on in a guest" that the hypervisor
/// runs — KVM's 2020 patch, its February draft, Heki, VTL1, Xen's vm_event monitor.
///
/// A design is a caseless enum (or empty struct) with static hooks. Every hook has a default
/// (no pins, no checks, no MSRs), so a design implements only what it does. Its state is one
/// `DesignPayload` of its own: a per-VM part and one per-vCPU part, created fresh when the design
/// comes into force (`option mechanism`, `option kvm-pin`) and never seen by another design.
///
/// To add a design:
/// 1. Write `Sources/Engine/Pinning/MyDesign.swift`: a type conforming to `PinRules` (the
///    engine's hooks) with its name, summary, source, state types, `wrap` (its payload as its
///    registry case) and the hooks it needs. Doc comments cite the source of each rule and say
///    "undecided" where the sources are silent.
/// 2. Register it in `DesignRegistry.swift`: one `case` of `DesignState`, its arm in `visit` and
///    in `read` (the compiler flags a missing arm) and its entry in `registered`. It then is
///    `option mechanism NAME`, a column of `crpin compare` and the TUI's compare pane, a section
///    of `crpin threats` and a row of the mechanism picker (`M`).
/// 3. Its tests in `Tests/EngineTests`, a scenario, and its TUI presentation companion in
///    `Sources/TUI/View/Designs/` (`extension MyDesign: DesignPresentation {}` is complete; a
///    test checks every design has one). `XenVMEventMonitor` was added this way.
public protocol PinningDesign: Sendable {
  /// What the design keeps for each vCPU (`NoState` when nothing).
  associatedtype VCPUState: Hashable, Sendable
  /// What the design keeps for the whole VM (`NoState` when nothing).
  associatedtype VMState: Hashable, Sendable

  /// The design's name in the script language (`option mechanism NAME`) and in the UI.
  static var name: String { get }
  /// One line on the design.
  static var summary: String { get }
  /// Where crpin's facts about the design come from.
  static var source: String { get }
  /// A vCPU's state when the design comes into force or the vCPU is created.
  static var initialVCPU: VCPUState { get }
  /// The VM's state when the design comes into force.
  static var initialVM: VMState { get }
  /// Whether the design is part of KVM's pinning patch: `option kvm-pin off` removes it (a KVM
  /// without the patch has no pinning at all). Default false.
  static var needsKVMPatch: Bool { get }
  /// Whether KVM sees the guest's CR writes (false for Hyper-V and Xen): `wp-guest-owned`
  /// applies only there. Default true.
  static var hypervisorIsKVM: Bool { get }
  /// The MSRs the design adds, in number order (none by default).
  static var msrs: [MSRInfo] { get }
  /// The bits of `register` a guest may pin by default (0 by default).
  static func allowed(_ register: PinnableRegister) -> UInt64
  /// The bits of `register` a guest on vCPU `index` may pin now (`allowed` by default).
  static func allowed(_ register: PinnableRegister, _ payload: DesignPayload<Self>, on index: Int)
    -> UInt64
  /// The pins in force on vCPU `index` as high/low masks, whatever the design stores: what the
  /// UI and traces show (none by default).
  static func effectivePins(_ payload: DesignPayload<Self>, on index: Int) -> PinMasks
  /// State of vCPU `index` that the effective pins do not show, as a labelled line for the
  /// compare table (`VTL1 intercepts`: `CR4 0xffffffff`); `nil` when there is none.
  static func stateLine(_ payload: DesignPayload<Self>, on index: Int) -> (label: String, value: String)?
}

/// A design's state: the VM-wide part and one part per vCPU.
public struct DesignPayload<Design: PinningDesign>: Hashable, Sendable {
  /// The VM-wide part.
  public internal(set) var vm: Design.VMState
  /// The per-vCPU parts, one per vCPU.
  public internal(set) var vcpus: [Design.VCPUState]

  /// The state a design starts with on a VM of `vcpuCount` vCPUs.
  init(vcpuCount: Int) {
    vm = Design.initialVM
    vcpus = Array(repeating: Design.initialVCPU, count: vcpuCount)
  }

  /// A payload with these parts.
  @inline(__always)
  init(vm: Design.VMState, vcpus: [Design.VCPUState]) {
    self.vm = vm
    self.vcpus = vcpus
  }
}

/// State for a design that keeps none (per vCPU or per VM).
public struct NoState: Hashable, Sendable {
  /// Nothing.
  public init() {}
}

extension PinningDesign where VCPUState == NoState {
  public static var initialVCPU: NoState { NoState() }
}

extension PinningDesign where VMState == NoState {
  public static var initialVM: NoState { NoState() }
}

extension PinningDesign {
  public static var needsKVMPatch: Bool { false }
  public static var hypervisorIsKVM: Bool { true }
  public static var msrs: [MSRInfo] { [] }
  public static func allowed(_ register: PinnableRegister) -> UInt64 { 0 }
  public static func allowed(_ register: PinnableRegister, _ payload: DesignPayload<Self>, on index: Int)
    -> UInt64
  { allowed(register) }
  public static func effectivePins(_ payload: DesignPayload<Self>, on index: Int) -> PinMasks { .none }
  public static func stateLine(_ payload: DesignPayload<Self>, on index: Int)
    -> (label: String, value: String)?
  { nil }

  /// Whether the design has MSR `number` (otherwise it is unknown to the hypervisor).
  static func handles(msr number: UInt32) -> Bool { msrs.contains { $0.number == number } }
}
