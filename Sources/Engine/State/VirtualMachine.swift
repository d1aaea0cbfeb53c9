/// A KVM guest: 1 to 8 vCPUs, the VM's options, and the guest kernel's own pinning state.
///
/// A value type: copying a VM copies everything, which is how `preview` evaluates an action
/// without applying it. Every change goes through `apply(_:on:)`, which returns an `Outcome`.
public struct VirtualMachine: Equatable, Hashable, Sendable {
  /// The most vCPUs a VM may have.
  public static let maxVCPUs = 8

  /// The vCPUs, indexed from 0.
  public internal(set) var vcpus: [VCPU]
  /// The VM's options.
  public internal(set) var options: VMOptions
  /// Whether KVM exited to the VMM with an error (a failed RSM): guest actions then get
  /// `stopped` until `reset`, `boot` or `reboot`.
  public internal(set) var stopped: Bool
  /// The guest kernel's native pinning: the values of the bits in its mask
  /// (`GuestKernelFacts.nativeCR4Mask` of `options.kernel`) it captured at boot
  /// (`cr4_pinned_bits`: 1 for SMEP/SMAP/UMIP where the CPU has them, 0 for FSGSBASE on 5.8, 1
  /// on 5.9+); `nil` until a kernel has booted (after creation from reset, or a reboot).
  public internal(set) var nativePinnedCR4: UInt64?
  /// heki: the per-VM CR0/CR4 locks (pinned to 1, OR-only, never cleared).
  public internal(set) var hekiLocks: PinPair
  /// vtl1: what VTL1 does with an intercepted write.
  public internal(set) var vtl1Policy: VTL1Policy

  /// A VM with `vcpuCount` vCPUs (clamped to 1...8) at their reset values, nothing booted.
  public init(resetWith vcpuCount: Int, options: VMOptions = VMOptions()) {
    vcpus = Array(repeating: VCPU(), count: min(max(vcpuCount, 1), Self.maxVCPUs))
    self.options = options
    stopped = false
    nativePinnedCR4 = nil
    hekiLocks = .zero
    vtl1Policy = .drop
  }

  /// An empty VM, only to initialise an outcome's `after` before the action runs.
  static let placeholder: VirtualMachine = {
    var vm = VirtualMachine(resetWith: 1)
    vm.vcpus = []
    return vm
  }()

  /// A VM whose vCPUs have each run `boot`: the realistic starting point for demos
  /// (CR0 0x80050033, CR4 0x360ef0, EFER 0xd01, pinned as the guest pins at boot).
  public init(bootedWith vcpuCount: Int = 1, options: VMOptions = VMOptions()) {
    self.init(resetWith: vcpuCount, options: options)
    for index in vcpus.indices { apply(.boot, on: index) }
  }

  /// Every VM-wide value (everything but the vCPUs), read and written as one.
  var scalars: MachineScalars {
    get {
      MachineScalars(
        options: options, stopped: stopped, nativePinnedCR4: nativePinnedCR4, hekiLocks: hekiLocks,
        vtl1Policy: vtl1Policy)
    }
    set {
      options = newValue.options
      stopped = newValue.stopped
      nativePinnedCR4 = newValue.nativePinnedCR4
      hekiLocks = newValue.hekiLocks
      vtl1Policy = newValue.vtl1Policy
    }
  }

  /// Whether the guest kernel's native pinning is in force now.
  public var nativePinningActive: Bool { options.nativePinningEnabled && nativePinnedCR4 != nil }

  /// The bits of `register` the guest kernel's native pinning holds at a fixed value (whether
  /// or not it is in force) on the default kernel, 5.8: CR0.WP (to 1), and in CR4
  /// `nativeCR4Mask` (to the boot values). `nativePinMaskOfKernel(_:)` gives the VM's kernel's.
  public static func nativePinMask(_ register: PinnableRegister) -> UInt64 {
    register == .cr0 ? CR0.wp : nativeCR4Mask
  }
}

/// The VM-wide values of a `VirtualMachine`, everything but its vCPUs.
struct MachineScalars: Equatable, Hashable, Sendable {
  var options: VMOptions
  var stopped: Bool
  var nativePinnedCR4: UInt64?
  var hekiLocks: PinPair
  var vtl1Policy: VTL1Policy
}
