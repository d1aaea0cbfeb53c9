/// One thing an action changed.
public struct Change: Equatable, Hashable, Sendable {
  /// The vCPU it belongs to, or `nil` for VM-wide state.
  public let vcpu: Int?
  /// What changed: `CR4`, `pins.cr4_high`, `SMM`, `L2`, `stopped`, `vCPUs`, an option name...
  public let field: String
  /// The old value, as text.
  public let old: String
  /// The new value, as text.
  public let new: String

  /// `CR4 0x360ef0 → 0x260ef0`.
  public var description: String { "\(field) \(old) → \(new)" }

  /// Every difference between two VMs, vCPU by vCPU, then VM-wide.
  public static func between(_ a: VirtualMachine, _ b: VirtualMachine) -> [Change] {
    var changes: [Change] = []
    if a.vcpus.count != b.vcpus.count {
      changes.append(Change(vcpu: nil, field: "vCPUs", old: "\(a.vcpus.count)", new: "\(b.vcpus.count)"))
    }
    for index in 0..<min(a.vcpus.count, b.vcpus.count) {
      let (old, new) = (a.vcpus[index], b.vcpus[index])
      let design = a.design.vcpuChanges(to: b.design, vcpu: index)
      if old != new || !design.isEmpty { vcpuChanges(index, old, new, design: design, into: &changes) }
      pinChanges(index, a.effectivePins(on: index), b.effectivePins(on: index), into: &changes)
    }
    if a.stopped != b.stopped {
      changes.append(Change(vcpu: nil, field: "stopped", old: "\(a.stopped)", new: "\(b.stopped)"))
    }
    for option in VMOptionName.allCases where a.options[option] != b.options[option] {
      changes.append(
        Change(
          vcpu: nil, field: option.rawValue, old: a.options[option] ? "on" : "off",
          new: b.options[option] ? "on" : "off"))
    }
    if a.options.mechanism != b.options.mechanism {
      changes.append(
        Change(
          vcpu: nil, field: "mechanism", old: a.options.mechanism.rawValue, new: b.options.mechanism.rawValue)
      )
    }
    if a.options.hostCR0 != b.options.hostCR0 {
      changes.append(
        Change(
          vcpu: nil, field: "host CR0", old: Hex.short(a.options.hostCR0), new: Hex.short(b.options.hostCR0)))
    }
    if a.options.hostCR4 != b.options.hostCR4 {
      changes.append(
        Change(
          vcpu: nil, field: "host CR4", old: Hex.short(a.options.hostCR4), new: Hex.short(b.options.hostCR4)))
    }
    changes += a.design.vmChanges(to: b.design)
    if a.nativePinnedCR4 != b.nativePinnedCR4 {
      changes.append(
        Change(
          vcpu: nil, field: "native pins", old: a.nativePinnedCR4.map(Hex.short) ?? "none",
          new: b.nativePinnedCR4.map(Hex.short) ?? "none"))
    }
    return changes
  }

  /// The pins in force (whatever design holds them), as high/low masks.
  private static func pinChanges(_ index: Int, _ a: PinMasks, _ b: PinMasks, into changes: inout [Change]) {
    guard a != b else { return }
    func add(_ field: String, _ old: UInt64, _ new: UInt64) {
      if old != new {
        changes.append(Change(vcpu: index, field: field, old: Hex.short(old), new: Hex.short(new)))
      }
    }
    add("pins.cr0_low", a.cr0Low, b.cr0Low)
    add("pins.cr0_high", a.cr0High, b.cr0High)
    add("pins.cr4_low", a.cr4Low, b.cr4Low)
    add("pins.cr4_high", a.cr4High, b.cr4High)
  }

  private static func vcpuChanges(
    _ index: Int, _ a: VCPU, _ b: VCPU, design: [Change], into changes: inout [Change]
  ) {
    func add(_ field: String, _ old: UInt64, _ new: UInt64) {
      if old != new {
        changes.append(Change(vcpu: index, field: field, old: Hex.short(old), new: Hex.short(new)))
      }
    }
    for name in RegisterName.allCases {
      add(name.displayName, a.registers[name], b.registers[name])
    }
    changes += design
    if a.eflagsAC != b.eflagsAC {
      changes.append(
        Change(vcpu: index, field: "EFLAGS.AC", old: a.eflagsAC ? "1" : "0", new: b.eflagsAC ? "1" : "0"))
    }
    if a.inSMM != b.inSMM {
      changes.append(
        Change(vcpu: index, field: "SMM", old: a.inSMM ? "in" : "out", new: b.inSMM ? "in" : "out"))
    }
    if let old = a.smm?.image, let new = b.smm?.image {
      for name in RegisterName.allCases {
        add("SMRAM." + name.displayName, old[name], new[name])
      }
    }
    if a.inL2 != b.inL2 {
      changes.append(Change(vcpu: index, field: "mode", old: a.inL2 ? "L2" : "L1", new: b.inL2 ? "L2" : "L1"))
    }
    if a.nested.explicitHostCR0 != b.nested.explicitHostCR0 {
      changes.append(
        Change(
          vcpu: index, field: "vmcs12.host_cr0", old: a.nested.explicitHostCR0.map(Hex.short) ?? "unset",
          new: b.nested.explicitHostCR0.map(Hex.short) ?? "unset"))
    }
    if a.nested.explicitHostCR4 != b.nested.explicitHostCR4 {
      changes.append(
        Change(
          vcpu: index, field: "vmcs12.host_cr4", old: a.nested.explicitHostCR4.map(Hex.short) ?? "unset",
          new: b.nested.explicitHostCR4.map(Hex.short) ?? "unset"))
    }
  }
}
