/// A KVM guest: 1 to 8 vCPUs, the VM's options, and the guest kernel's own pinning state.
///
/// A value type: copying a VM copies everything, which is how `preview` evaluates an action
/// without applying it. Every change goes through `apply(_:on:)`, which returns an `Outcome`.
public struct VirtualMachine: Equatable, Hashable, Sendable {
  /// The most vCPUs a VM may have.
  public static let maxVCPUs = 8

  /// The vCPUs, indexed from 0 (their CR4s kept in the VM itself: `VCPUs`).
  public internal(set) var vcpus: VCPUs {
    @inline(__always) get { vcpuStorage }
    @inline(__always) _modify { yield &vcpuStorage }
  }
  /// Where `vcpus` is kept: reachable from `step`'s inlinable path, which stores CR4 itself.
  @usableFromInline var vcpuStorage: VCPUs
  /// The VM's options (read by a getter: a read coroutine called from another module allocates
  /// its frame).
  public internal(set) var options: VMOptions {
    get { storage.options }
    @inline(__always) _modify { yield &storage.options }
  }
  /// The pinning design in force and its state, per VM and per vCPU (`DesignState`).
  public internal(set) var design: DesignState {
    @inline(__always) _read { yield storage.design }
    @inline(__always) _modify { yield &storage.design }
  }
  /// Where `options` and `design` are kept: one reference, so that copying a VM copies neither.
  @usableFromInline var storage: MachineStorage {
    didSet { refreshPlainCR4Gate() }
  }
  /// The guest kernel's native pinning: the values of the bits in its mask
  /// (`GuestKernelFacts.nativeCR4Mask` of `options.kernel`) it captured at boot
  /// (`cr4_pinned_bits`: 1 for SMEP/SMAP/UMIP where the CPU has them, 0 for FSGSBASE on 5.8, 1
  /// on 5.9+); `nil` until a kernel has booted (after creation from reset, or a reboot).
  public internal(set) var nativePinnedCR4: UInt64?
  /// Whether KVM exited to the VMM with an error (a failed RSM): guest actions then get
  /// `stopped` until `reset`, `boot` or `reboot`.
  public internal(set) var stopped: Bool {
    didSet { refreshPlainCR4Gate() }
  }
  /// Whether `step` may decide a guest MOV to CR4 by `plainMovCR4`, and what that path reads of
  /// the options. Derived from `stopped`, the options and the design, refreshed whenever one of
  /// them changes.
  @usableFromInline private(set) var plainCR4Gate: PlainCR4Gate

  /// A VM with `vcpuCount` vCPUs (clamped to 1...8) at their reset values, nothing booted.
  public init(resetWith vcpuCount: Int, options: VMOptions = VMOptions()) {
    let count = min(max(vcpuCount, 1), Self.maxVCPUs)
    vcpuStorage = VCPUs(Array(repeating: VCPU(), count: count))
    storage = MachineStorage(options: options, design: Self.freshDesign(for: options, vcpuCount: count))
    stopped = false
    nativePinnedCR4 = nil
    plainCR4Gate = PlainCR4Gate(stopped: false, storage: storage)
  }

  /// An empty VM, only to initialise an outcome's `after` before the action runs.
  static let placeholder: VirtualMachine = {
    var vm = VirtualMachine(resetWith: 1)
    vm.vcpus = VCPUs([])
    vm.design = freshDesign(for: vm.options, vcpuCount: 0)
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
      MachineScalars(storage: storage, stopped: stopped, nativePinnedCR4: nativePinnedCR4)
    }
    set {
      storage = newValue.storage
      stopped = newValue.stopped
      nativePinnedCR4 = newValue.nativePinnedCR4
    }
  }

  /// Whether the guest kernel's native pinning is in force now.
  public var nativePinningActive: Bool { options.nativePinningEnabled && nativePinnedCR4 != nil }

  /// Derives `plainCR4Gate` again from what it sums up.
  private mutating func refreshPlainCR4Gate() {
    let gate = PlainCR4Gate(stopped: stopped, storage: storage)
    if plainCR4Gate != gate { plainCR4Gate = gate }
  }
}

/// The VM-wide values of a `VirtualMachine`, everything but its vCPUs.
struct MachineScalars: Equatable, Hashable, Sendable {
  /// The options and the design state.
  var storage: MachineStorage
  var stopped: Bool
  var nativePinnedCR4: UInt64?
}
