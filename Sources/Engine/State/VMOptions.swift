/// A switch of the VM a script or the TUI can flip.
public enum VMOptionName: String, CaseIterable, Sendable, Codable {
  /// KVM has the paravirtual pinning patch; off: the pin MSRs are unknown and #GP.
  case kvmPin = "kvm-pin"
  /// The VMM exposes `KVM_FEATURE_CR_PIN` in CPUID: the guest's `boot` pins only when it does.
  case cpuidPin = "cpuid-pin"
  /// The guest kernel's own pinning in `native_write_cr0/cr4()`.
  case nativePin = "native-pin"

  /// One line on what the option means.
  public var summary: String {
    switch self {
    case .kvmPin: "KVM has the paravirtual CR pinning patch (off: the pin MSRs are unknown)"
    case .cpuidPin: "the VMM exposes KVM_FEATURE_CR_PIN (CPUID 0x40000001 EAX bit 15)"
    case .nativePin: "the guest kernel pins WP/SMEP/SMAP/UMIP in native_write_cr0/cr4()"
    }
  }
}

/// The VM's configuration: which KVM, which VMM behaviour, which guest kernel, which CPU.
public struct VMOptions: Equatable, Hashable, Sendable, Codable {
  /// KVM runs the paravirtual pinning patch.
  public var kvmPin = true
  /// The VMM exposes the CPUID feature bit.
  public var cpuidPin = true
  /// The guest kernel's native pinning is built in and on.
  public var nativePin = true
  /// The guest CPU model.
  public var cpu = CPUModel.default

  /// The defaults: the patch, the CPUID bit, native pinning, every CPU feature.
  public init() {}

  /// Reads or writes an option by name.
  public subscript(name: VMOptionName) -> Bool {
    get {
      switch name {
      case .kvmPin: kvmPin
      case .cpuidPin: cpuidPin
      case .nativePin: nativePin
      }
    }
    set {
      switch name {
      case .kvmPin: kvmPin = newValue
      case .cpuidPin: cpuidPin = newValue
      case .nativePin: nativePin = newValue
      }
    }
  }

  /// The pinning design KVM runs with these options.
  public var pinning: PinningDesign { kvmPin ? .kvm2020 : .absent }
}
