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
    case .design(let name): name
    case .option(let option): option.rawValue
    default: staticName?.description ?? ""
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
    visit(between: a, b) { vcpu, field, old, new in
      changes.append(Change(vcpu: vcpu, what: field, old: old.text, new: new.text))
    }
    return changes
  }

  /// Calls `body` with every difference between two VMs, in `between`'s order, its values not
  /// yet made text.
  static func visit(between a: VirtualMachine, _ b: VirtualMachine, _ body: ChangeVisitor) {
    if a.vcpus.count != b.vcpus.count {
      body(nil, .vcpuCount, .decimal(a.vcpus.count), .decimal(b.vcpus.count))
    }
    for index in 0..<min(a.vcpus.count, b.vcpus.count) {
      let design = a.design.vcpuChanges(to: b.design, vcpu: index)
      visitVCPU(index, a.vcpus[index], b.vcpus[index], design: design, body)
      pinChanges(index, a.effectivePins(on: index), b.effectivePins(on: index), body)
    }
    if a.stopped != b.stopped {
      body(nil, .stopped, .word(a.stopped ? "true" : "false"), .word(b.stopped ? "true" : "false"))
    }
    for option in VMOptionName.allCases where a.options[option] != b.options[option] {
      body(
        nil, .option(option), .word(a.options[option] ? "on" : "off"), .word(b.options[option] ? "on" : "off")
      )
    }
    if a.options.mechanism != b.options.mechanism {
      body(nil, .mechanism, .text(a.options.mechanism.rawValue), .text(b.options.mechanism.rawValue))
    }
    if a.options.hostCR0 != b.options.hostCR0 {
      body(nil, .hostCR(.cr0), .hex(a.options.hostCR0), .hex(b.options.hostCR0))
    }
    if a.options.hostCR4 != b.options.hostCR4 {
      body(nil, .hostCR(.cr4), .hex(a.options.hostCR4), .hex(b.options.hostCR4))
    }
    for change in a.design.vmChanges(to: b.design) {
      body(change.vcpu, change.what, .text(change.old), .text(change.new))
    }
    if a.options.kernel != b.options.kernel {
      body(nil, .kernelVersion, .text(a.options.kernel.description), .text(b.options.kernel.description))
    }
    if a.options.kvm != b.options.kvm {
      body(nil, .kvmVersion, .text(a.options.kvm.description), .text(b.options.kvm.description))
    }
    if a.options.cpu.features != b.options.cpu.features {
      body(nil, .cpuid, .text(featureList(a.options.cpu)), .text(featureList(b.options.cpu)))
    }
    if a.nativePinnedCR4 != b.nativePinnedCR4 {
      body(
        nil, .nativePins, optionalHex(a.nativePinnedCR4, else: "none"),
        optionalHex(b.nativePinnedCR4, else: "none"))
    }
  }

  private static func optionalHex(_ value: UInt64?, else word: StaticString) -> ChangeValue {
    if let value { .hex(value) } else { .word(word) }
  }

  /// `SMEP SMAP …`: the CPU's optional features, as CPUID tables name them.
  private static func featureList(_ cpu: CPUModel) -> String {
    let names = CPUFeature.allCases.filter(cpu.has).map(\.displayName)
    return names.isEmpty ? "none" : names.joined(separator: " ")
  }

  /// The pins in force (whatever design holds them), as high/low masks.
  private static func pinChanges(_ index: Int, _ a: PinMasks, _ b: PinMasks, _ body: ChangeVisitor) {
    guard a != b else { return }
    func add(_ field: ChangeField, _ old: UInt64, _ new: UInt64) {
      if old != new { body(index, field, .hex(old), .hex(new)) }
    }
    add(.pins(.cr0, high: false), a.cr0Low, b.cr0Low)
    add(.pins(.cr0, high: true), a.cr0High, b.cr0High)
    add(.pins(.cr4, high: false), a.cr4Low, b.cr4Low)
    add(.pins(.cr4, high: true), a.cr4High, b.cr4High)
  }

  /// What differs between two states of vCPU `index`; `design`: the design's own changes of it.
  /// The changes of vCPU `index`'s CR0, CR3, CR4 and EFER, in that order.
  static func visitRegisters(_ index: Int, _ a: Registers, _ b: Registers, _ body: ChangeVisitor) {
    if a.cr0 != b.cr0 { body(index, .register(.cr0), .hex(a.cr0), .hex(b.cr0)) }
    if a.cr3 != b.cr3 { body(index, .register(.cr3), .hex(a.cr3), .hex(b.cr3)) }
    if a.cr4 != b.cr4 { body(index, .register(.cr4), .hex(a.cr4), .hex(b.cr4)) }
    if a.efer != b.efer { body(index, .register(.efer), .hex(a.efer), .hex(b.efer)) }
  }

  static func visitVCPU(_ index: Int, _ a: VCPU, _ b: VCPU, design: [Change], _ body: ChangeVisitor) {
    guard a != b || !design.isEmpty else { return }
    func add(_ field: ChangeField, _ old: UInt64, _ new: UInt64) {
      if old != new { body(index, field, .hex(old), .hex(new)) }
    }
    visitRegisters(index, a.registers, b.registers, body)
    for change in design {
      body(change.vcpu, change.what, .text(change.old), .text(change.new))
    }
    if a.eflagsAC != b.eflagsAC {
      body(index, .eflagsAC, .word(a.eflagsAC ? "1" : "0"), .word(b.eflagsAC ? "1" : "0"))
    }
    if a.inSMM != b.inSMM {
      body(index, .smm, .word(a.inSMM ? "in" : "out"), .word(b.inSMM ? "in" : "out"))
    }
    if let old = a.smm?.image, let new = b.smm?.image {
      add(.smram(.cr0), old.cr0, new.cr0)
      add(.smram(.cr3), old.cr3, new.cr3)
      add(.smram(.cr4), old.cr4, new.cr4)
      add(.smram(.efer), old.efer, new.efer)
    }
    if a.inL2 != b.inL2 {
      body(index, .nestedMode, .word(a.inL2 ? "L2" : "L1"), .word(b.inL2 ? "L2" : "L1"))
    }
    if a.nested.explicitHostCR0 != b.nested.explicitHostCR0 {
      body(
        index, .vmcs12HostCR(.cr0), optionalHex(a.nested.explicitHostCR0, else: "unset"),
        optionalHex(b.nested.explicitHostCR0, else: "unset"))
    }
    if a.nested.explicitHostCR4 != b.nested.explicitHostCR4 {
      body(
        index, .vmcs12HostCR(.cr4), optionalHex(a.nested.explicitHostCR4, else: "unset"),
        optionalHex(b.nested.explicitHostCR4, else: "unset"))
    }
  }
}

/// What a change visitor is given: the vCPU (`nil`: VM-wide), what changed, the old and new
/// values.
public typealias ChangeVisitor = (_ vcpu: Int?, _ field: ChangeField, _ old: ChangeValue, _ new: ChangeValue)
  ->
  Void

/// A change's old or new value before it is made text, so that a trace can write it straight
/// into its bytes.
public enum ChangeValue: Sendable {
  /// A number, written `0x…` (`Hex.short`).
  case hex(UInt64)
  /// A number, in decimal.
  case decimal(Int)
  /// A fixed word: `in`, `L2`, `on`, `true`, `unset`, `none`...
  case word(StaticString)
  /// Any other text.
  case text(String)

  /// The value as `Change` holds it.
  public var text: String {
    switch self {
    case .hex(let value): Hex.short(value)
    case .decimal(let value): String(value)
    case .word(let word): word.description
    case .text(let text): text
    }
  }
}

extension ChangeField {
  /// `name` when it is one of the fixed names (registers, pins, modes...), without building a
  /// string; `nil` for a design's own fields and the options.
  public var staticName: StaticString? {
    switch self {
    case .register(.cr0): "CR0"
    case .register(.cr3): "CR3"
    case .register(.cr4): "CR4"
    case .register(.efer): "EFER"
    case .pins(.cr0, high: false): "pins.cr0_low"
    case .pins(.cr0, high: true): "pins.cr0_high"
    case .pins(.cr4, high: false): "pins.cr4_low"
    case .pins(.cr4, high: true): "pins.cr4_high"
    case .eflagsAC: "EFLAGS.AC"
    case .smm: "SMM"
    case .smram(.cr0): "SMRAM.CR0"
    case .smram(.cr3): "SMRAM.CR3"
    case .smram(.cr4): "SMRAM.CR4"
    case .smram(.efer): "SMRAM.EFER"
    case .nestedMode: "mode"
    case .vmcs12HostCR(.cr0): "vmcs12.host_cr0"
    case .vmcs12HostCR(.cr4): "vmcs12.host_cr4"
    case .vcpuCount: "vCPUs"
    case .stopped: "stopped"
    case .mechanism: "mechanism"
    case .hostCR(.cr0): "host CR0"
    case .hostCR(.cr4): "host CR4"
    case .nativePins: "native pins"
    case .kernelVersion: "kernel"
    case .kvmVersion: "kvm"
    case .cpuid: "CPUID"
    case .design, .option: nil
    }
  }
}

extension Outcome {
  /// Calls `body` with each of `changes`, in its order, without building the VM before the
  /// action when the outcome kept only the vCPU acted on and nothing VM-wide changed (then
  /// only that vCPU can differ), and without making the values text.
  public func visitChanges(_ body: ChangeVisitor) {
    if let (index, old) = savedRegisters, after.vcpus.indices.contains(index) {
      // Only this vCPU's registers can differ (`hasRunSinceReset` is not a change a trace shows).
      let new = after.vcpus[index].registers
      guard old != new else { return }
      Change.visitRegisters(index, old, new, body)
      return
    }
    if let saved = savedVCPU, after.vcpus.indices.contains(saved.index),
      after.storage == saved.scalars.storage, after.stopped == saved.scalars.stopped,
      after.nativePinnedCR4 == saved.scalars.nativePinnedCR4
    {
      Change.visitVCPU(saved.index, saved.vcpu, after.vcpus[saved.index], design: [], body)
      return
    }
    Change.visit(between: before, after, body)
  }
}
