/// What an action changed: a register, a pin mask, a mode, an option...
public enum ChangeField: Equatable, Hashable, Sendable {
  /// A vCPU register (`CR4`, `EFER`...).
  case register(RegisterName)
  /// A pin mask in force: `pins.cr4_high` when `high`, else `pins.cr4_low`.
  case pins(PinnableRegister, high: Bool)
  /// A field of the pinning design's own state, named by the design (`vtl1.cr4_intercept`,
  /// `allowed.cr4`, `vtl1 policy`, ...).
  case design(String)
  /// EFLAGS.AC.
  case eflagsAC
  /// Whether the vCPU is in SMM.
  case smm
  /// A register of the SMRAM save area.
  case smram(RegisterName)
  /// L1 or L2.
  case nestedMode
  /// vmcs12's host CR0 or CR4.
  case vmcs12HostCR(PinnableRegister)
  /// The number of vCPUs.
  case vcpuCount
  /// Whether the VM is stopped.
  case stopped
  /// A VM option.
  case option(VMOptionName)
  /// The pinning mechanism.
  case mechanism
  /// The host's CR0 or CR4.
  case hostCR(PinnableRegister)
  /// The CR4 bits the guest kernel pins natively.
  case nativePins
  /// The guest kernel's Linux version (`option kernel`).
  case kernelVersion
  /// The host KVM's version (`option kvm`).
  case kvmVersion
  /// The guest's CPUID features (`host cpuid`).
  case cpuid

  /// How traces write it: `CR4`, `pins.cr4_high`, `SMM`, `mode`, `stopped`, `vCPUs`, an option
  /// name...
  public var name: String {
    switch self {
    case .register(let name): name.displayName
    // Literals, not interpolations: traces write these on `crpin run`'s path.
    case .pins(.cr0, high: false): "pins.cr0_low"
    case .pins(.cr0, high: true): "pins.cr0_high"
    case .pins(.cr4, high: false): "pins.cr4_low"
    case .pins(.cr4, high: true): "pins.cr4_high"
    case .design(let name): name
    case .eflagsAC: "EFLAGS.AC"
    case .smm: "SMM"
    case .smram(let name): "SMRAM." + name.displayName
    case .nestedMode: "mode"
    case .vmcs12HostCR(.cr0): "vmcs12.host_cr0"
    case .vmcs12HostCR(.cr4): "vmcs12.host_cr4"
    case .vcpuCount: "vCPUs"
    case .stopped: "stopped"
    case .option(let option): option.rawValue
    case .mechanism: "mechanism"
    case .hostCR(.cr0): "host CR0"
    case .hostCR(.cr4): "host CR4"
    case .nativePins: "native pins"
    case .kernelVersion: "kernel"
    case .kvmVersion: "kvm"
    case .cpuid: "CPUID"
    }
  }
}

/// One thing an action changed.
public struct Change: Equatable, Hashable, Sendable {
  /// The vCPU it belongs to, or `nil` for VM-wide state.
  public let vcpu: Int?
  /// What changed.
  public let what: ChangeField
  /// The old value, as text.
  public let old: String
  /// The new value, as text.
  public let new: String

  /// A change of `what` on vCPU `vcpu` (`nil`: VM-wide) from `old` to `new`.
  public init(vcpu: Int?, what: ChangeField, old: String, new: String) {
    self.vcpu = vcpu
    self.what = what
    self.old = old
    self.new = new
  }

  /// What changed, as traces write it: `CR4`, `pins.cr4_high`, `SMM`, `mode`, `stopped`...
  public var field: String { what.name }

  /// `CR4 0x360ef0 → 0x260ef0`.
  public var description: String { "\(field) \(old) → \(new)" }

  /// Every difference between two VMs, vCPU by vCPU, then VM-wide.
  public static func between(_ a: VirtualMachine, _ b: VirtualMachine) -> [Change] {
    var changes: [Change] = []
    if a.vcpus.count != b.vcpus.count {
      changes.append(Change(vcpu: nil, what: .vcpuCount, old: "\(a.vcpus.count)", new: "\(b.vcpus.count)"))
    }
    for index in 0..<min(a.vcpus.count, b.vcpus.count) {
      let (old, new) = (a.vcpus[index], b.vcpus[index])
      let design = a.design.vcpuChanges(to: b.design, vcpu: index)
      if old != new || !design.isEmpty { vcpuChanges(index, old, new, design: design, into: &changes) }
      pinChanges(index, a.effectivePins(on: index), b.effectivePins(on: index), into: &changes)
    }
    if a.stopped != b.stopped {
      changes.append(Change(vcpu: nil, what: .stopped, old: "\(a.stopped)", new: "\(b.stopped)"))
    }
    for option in VMOptionName.allCases where a.options[option] != b.options[option] {
      changes.append(
        Change(
          vcpu: nil, what: .option(option), old: a.options[option] ? "on" : "off",
          new: b.options[option] ? "on" : "off"))
    }
    if a.options.mechanism != b.options.mechanism {
      changes.append(
        Change(
          vcpu: nil, what: .mechanism, old: a.options.mechanism.rawValue, new: b.options.mechanism.rawValue)
      )
    }
    if a.options.hostCR0 != b.options.hostCR0 {
      changes.append(
        Change(
          vcpu: nil, what: .hostCR(.cr0), old: Hex.short(a.options.hostCR0), new: Hex.short(b.options.hostCR0)
        ))
    }
    if a.options.hostCR4 != b.options.hostCR4 {
      changes.append(
        Change(
          vcpu: nil, what: .hostCR(.cr4), old: Hex.short(a.options.hostCR4), new: Hex.short(b.options.hostCR4)
        ))
    }
    changes += a.design.vmChanges(to: b.design)
    if a.options.kernel != b.options.kernel {
      changes.append(
        Change(
          vcpu: nil, what: .kernelVersion, old: a.options.kernel.description,
          new: b.options.kernel.description))
    }
    if a.options.kvm != b.options.kvm {
      changes.append(
        Change(vcpu: nil, what: .kvmVersion, old: a.options.kvm.description, new: b.options.kvm.description))
    }
    if a.options.cpu.features != b.options.cpu.features {
      changes.append(
        Change(
          vcpu: nil, what: .cpuid, old: featureList(a.options.cpu), new: featureList(b.options.cpu)))
    }
    if a.nativePinnedCR4 != b.nativePinnedCR4 {
      changes.append(
        Change(
          vcpu: nil, what: .nativePins, old: a.nativePinnedCR4.map(Hex.short) ?? "none",
          new: b.nativePinnedCR4.map(Hex.short) ?? "none"))
    }
    return changes
  }

  /// `SMEP SMAP …`: the CPU's optional features, as CPUID tables name them.
  private static func featureList(_ cpu: CPUModel) -> String {
    let names = CPUFeature.allCases.filter(cpu.has).map(\.displayName)
    return names.isEmpty ? "none" : names.joined(separator: " ")
  }

  /// The pins in force (whatever design holds them), as high/low masks.
  private static func pinChanges(_ index: Int, _ a: PinMasks, _ b: PinMasks, into changes: inout [Change]) {
    guard a != b else { return }
    func add(_ field: ChangeField, _ old: UInt64, _ new: UInt64) {
      if old != new {
        changes.append(Change(vcpu: index, what: field, old: Hex.short(old), new: Hex.short(new)))
      }
    }
    add(.pins(.cr0, high: false), a.cr0Low, b.cr0Low)
    add(.pins(.cr0, high: true), a.cr0High, b.cr0High)
    add(.pins(.cr4, high: false), a.cr4Low, b.cr4Low)
    add(.pins(.cr4, high: true), a.cr4High, b.cr4High)
  }

  private static func vcpuChanges(
    _ index: Int, _ a: VCPU, _ b: VCPU, design: [Change], into changes: inout [Change]
  ) {
    func add(_ field: ChangeField, _ old: UInt64, _ new: UInt64) {
      if old != new {
        changes.append(Change(vcpu: index, what: field, old: Hex.short(old), new: Hex.short(new)))
      }
    }
    for name in RegisterName.allCases {
      add(.register(name), a.registers[name], b.registers[name])
    }
    changes += design
    if a.eflagsAC != b.eflagsAC {
      changes.append(
        Change(vcpu: index, what: .eflagsAC, old: a.eflagsAC ? "1" : "0", new: b.eflagsAC ? "1" : "0"))
    }
    if a.inSMM != b.inSMM {
      changes.append(
        Change(vcpu: index, what: .smm, old: a.inSMM ? "in" : "out", new: b.inSMM ? "in" : "out"))
    }
    if let old = a.smm?.image, let new = b.smm?.image {
      for name in RegisterName.allCases {
        add(.smram(name), old[name], new[name])
      }
    }
    if a.inL2 != b.inL2 {
      changes.append(
        Change(vcpu: index, what: .nestedMode, old: a.inL2 ? "L2" : "L1", new: b.inL2 ? "L2" : "L1"))
    }
    if a.nested.explicitHostCR0 != b.nested.explicitHostCR0 {
      changes.append(
        Change(
          vcpu: index, what: .vmcs12HostCR(.cr0), old: a.nested.explicitHostCR0.map(Hex.short) ?? "unset",
          new: b.nested.explicitHostCR0.map(Hex.short) ?? "unset"))
    }
    if a.nested.explicitHostCR4 != b.nested.explicitHostCR4 {
      changes.append(
        Change(
          vcpu: index, what: .vmcs12HostCR(.cr4), old: a.nested.explicitHostCR4.map(Hex.short) ?? "unset",
          new: b.nested.explicitHostCR4.map(Hex.short) ?? "unset"))
    }
  }
}
