import CKVM
import Engine

#if canImport(Glibc)
  import Glibc
#endif

/// One CPUID leaf of the table the guest gets (`KVM_GET_SUPPORTED_CPUID`, set with
/// `KVM_SET_CPUID2`).
public struct CPUIDLeaf: Equatable, Sendable {
  public let function: UInt32
  public let index: UInt32
  public let eax: UInt32
  public let ebx: UInt32
  public let ecx: UInt32
  public let edx: UInt32
}

/// Which KVM this is: the module, the API version, capabilities and the CPUID the guest gets.
public struct HostIdentity: Sendable {
  /// The KVM module loaded (found under /sys/module): `kvm_intel`, `kvm_amd`, `kvm_pvm`, or
  /// `unknown`.
  public let module: String
  /// `KVM_GET_API_VERSION` (12 for every KVM since 2.6.22).
  public let apiVersion: Int
  /// `KVM_CHECK_EXTENSION` of the capabilities that matter to crpin, by name.
  public let capabilities: [(name: String, value: Int)]
  /// The CPUID table the guest's vCPU was given.
  public let cpuid: [CPUIDLeaf]

  /// The capabilities reported (numbers from linux/kvm.h).
  static let capabilitiesChecked: [(String, Int32)] = [
    ("KVM_CAP_X86_SMM", 117), ("KVM_CAP_NESTED_STATE", 157), ("KVM_CAP_VCPU_EVENTS", 41),
    ("KVM_CAP_GET_MSR_FEATURES", 153), ("KVM_CAP_X86_USER_SPACE_MSR", 188),
  ]

  /// The module that provides /dev/kvm, by which of them /sys/module lists.
  static func loadedModule() -> String {
    for name in ["kvm_intel", "kvm_amd", "kvm_pvm"] where access("/sys/module/\(name)", F_OK) == 0 {
      return name
    }
    return "unknown"
  }

  /// The leaf for `function` (sub-leaf `index`), if the table has it.
  public func leaf(_ function: UInt32, _ index: UInt32 = 0) -> CPUIDLeaf? {
    cpuid.first { $0.function == function && $0.index == index }
  }

  /// A capability's value (0 when absent).
  public func capability(_ name: String) -> Int { capabilities.first { $0.name == name }?.value ?? 0 }

  /// Whether KVM can enter SMM (`KVM_CAP_X86_SMM`): `smi`, `smram` and `rsm` need it.
  public var hasSMM: Bool { capability("KVM_CAP_X86_SMM") > 0 }

  /// Whether the KVM leaves (0x40000001 EAX) advertise `KVM_FEATURE_CR_PIN` (bit 15 in the
  /// seed patch's `kvm_para.h`): then the host's KVM has the patch.
  public var advertisesCRPinning: Bool {
    guard let signature = leaf(0x4000_0000), signature.ebx == 0x4b4d_564b else { return false }
    return (leaf(0x4000_0001)?.eax ?? 0) & (1 << 15) != 0
  }

  /// One named CPUID bit the model cares about.
  public struct FeatureBit: Sendable {
    public let name: String
    public let present: Bool
  }

  /// The CPUID bits behind the model's CPU: CR4's optional features, long mode, NX.
  public var featureBits: [FeatureBit] {
    func bit(_ name: String, _ function: UInt32, _ register: KeyPath<CPUIDLeaf, UInt32>, _ index: UInt32)
      -> FeatureBit
    {
      FeatureBit(name: name, present: (leaf(function)?[keyPath: register] ?? 0) & (1 << index) != 0)
    }
    return [
      bit("VMX", 1, \.ecx, 5), bit("PCID", 1, \.ecx, 17), bit("XSAVE", 1, \.ecx, 26),
      bit("FSGSBASE", 7, \.ebx, 0), bit("SMEP", 7, \.ebx, 7), bit("SMAP", 7, \.ebx, 20),
      bit("UMIP", 7, \.ecx, 2), bit("PKU", 7, \.ecx, 3), bit("LA57", 7, \.ecx, 16),
      bit("NX", 0x8000_0001, \.edx, 20), bit("LM", 0x8000_0001, \.edx, 29),
    ]
  }

  /// The model's CPU for this guest: the CR4 features its CPUID has, and MAXPHYADDR from
  /// 0x80000008 (46 when the leaf is missing).
  public var cpuModel: CPUModel {
    let names: [String: CPUFeatureSet] = [
      "VMX": .vmx, "PCID": .pcid, "XSAVE": .xsave, "FSGSBASE": .fsgsbase, "SMEP": .smep,
      "SMAP": .smap, "UMIP": .umip, "PKU": .pku, "LA57": .la57,
    ]
    var features: CPUFeatureSet = []
    for bit in featureBits where bit.present { features.formUnion(names[bit.name] ?? []) }
    let width = leaf(0x8000_0008).map { Int($0.eax & 0xff) } ?? 46
    return CPUModel(features: features, physicalAddressBits: width == 0 ? 46 : width)
  }

  /// The model `--kvm` and `verify` compare with: the patch's (`option kvm-pin on`) when this
  /// KVM advertises the feature, otherwise released KVM's (`option kvm-pin off`: the pin MSRs
  /// are unknown and #GP), with the guest's CPU.
  public var comparisonOptions: VMOptions {
    var options = VMOptions()
    options.kvmPin = advertisesCRPinning
    options.cpu = cpuModel
    return options
  }

  /// One line saying which model the real KVM is held against, and why.
  public var comparisonModelDescription: String {
    advertisesCRPinning
      ? "crpin's model of the pinning patch (option kvm-pin on): this KVM advertises KVM_FEATURE_CR_PIN"
      : "crpin's model of KVM without the pinning patch (option kvm-pin off: the pin MSRs #GP): "
        + "this KVM does not advertise KVM_FEATURE_CR_PIN (CPUID 0x40000001 EAX bit 15)"
  }

  /// The known properties of this KVM that make it differ from Linux 5.8 KVM on hardware.
  public var knownProperties: [HostProperty] { HostProperty.known(for: module) }
}
