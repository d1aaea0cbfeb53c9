/// What a design's hook sees of the VM: the vCPU's registers and mode, and the options the
/// MSR hooks need. Plain values only, cheap to build on every write.
struct DesignContext {
  /// The vCPU's CR0, CR3, CR4 and EFER.
  let registers: Registers
  /// Whether SMM is active.
  let inSMM: Bool
  /// Whether L2 runs.
  let inL2: Bool
  /// The vCPU's index.
  let index: Int
  /// Whether a guest instruction writes (a MOV-to-CR exit or an emulated MOV), not KVM's own
  /// loads (RSM's safe-mode writes and restore).
  var instruction = true
  /// Policy `allowed-writable` (kvm-2020's allowed MSRs).
  var allowedWritable = false
  /// The CR4 bits the guest CPU model lacks.
  var reservedCR4: UInt64 = 0
}

/// How a booted guest kernel pins under a design, at the end of its init.
enum BootPinning {
  /// Nothing to do.
  case nothing
  /// The guest side of a KVM MSR series: read the allowed MSRs, pin high the allowed bits that
  /// are set — only when CPUID shows `KVM_FEATURE_CR_PIN`.
  case throughMSRs(allowed: (cr0: UInt32, cr4: UInt32), pinned: (cr0: UInt32, cr4: UInt32))
  /// These actions, in order, each with the code that performs it.
  case steps([(action: Action, context: String)])
}

/// The engine's hooks of a pinning design, each with a default that does nothing. The engine
/// calls them through `DesignState` (the registry), specialized for each design: no existential
/// on `apply`'s or `step`'s path.
protocol PinRules: PinningDesign {
  /// The design's payload as the registry's case (`DesignState.heki(payload)`).
  static func wrap(_ payload: DesignPayload<Self>) -> DesignState
  /// Whether the design has MSR `number` (default: it is in `msrs`).
  static func handles(msr number: UInt32) -> Bool
  /// Whether `number` is one of the design's read-only "allowed" MSRs (no trust note, no D2).
  static func isAllowedMSR(_ number: UInt32) -> Bool
  /// A note on what MSR `number` means elsewhere, shown while the design is the mechanism.
  static func otherMeaning(of number: UInt32) -> String?
  /// Checks a guest instruction's CR write before KVM's own checks (MOV-to-CR exits and emulated
  /// MOVs; not RSM's restore nor KVM's own loads).
  static func intercept<Report: WriteReport>(
    _ register: PinnableRegister, value: UInt64, _ context: DesignContext,
    _ payload: DesignPayload<Self>, into report: inout Report)
  /// Whether a refusal by `intercept` settles the write (KVM's checks then do not run).
  static var interceptSettles: Bool { get }
  /// Whether the design's whole say over a guest MOV to CR4 is the patch's check of its
  /// `effectivePins` in `kvm_set_cr4` (no intercept, KVM sees the write, the check skipped in
  /// SMM and while L2 runs, nothing changed): `step` then checks those masks itself, read from
  /// `MachineStorage.plainCR4Pins` (default false: the hooks run).
  static var checksOnlyEffectivePins: Bool { get }
  /// The pin check inside `kvm_set_cr0/cr4`, after the checks before it. A check that sets the
  /// report's `dropped` settles the write: the checks after it do not run, nothing changes.
  static func checkPins<Report: WriteReport>(
    _ register: PinnableRegister, value: UInt64, _ context: DesignContext,
    _ payload: DesignPayload<Self>, into report: inout Report)
  /// Reads one of the design's MSRs.
  static func readMSR(_ number: UInt32, _ context: DesignContext, _ payload: DesignPayload<Self>)
    -> UInt64
  /// Writes one of the design's MSRs: what refused it and what to tell.
  static func writeMSR<Report: WriteReport>(
    _ number: UInt32, _ data: UInt64, hostInitiated: Bool, _ context: DesignContext,
    _ payload: inout DesignPayload<Self>, into report: inout Report)
  /// The value loaded into L1's CR0/CR4 on VM-exit from the vmcs12 host field.
  static func vmExitValue(
    _ register: PinnableRegister, host: UInt64, _ payload: DesignPayload<Self>, on index: Int
  ) -> UInt64
  /// A note when L1 enters L2 under the design.
  static var vmEntryNote: String? { get }
  /// The SMRAM image RSM restores from (the design may rewrite its copy), with notes.
  static func rsmImage(
    _ image: Registers, _ payload: DesignPayload<Self>, on index: Int, notes: inout [String]
  ) -> Registers
  /// The check after RSM has restored CR0/CR4.
  static func postRSMViolations(_ registers: Registers, _ payload: DesignPayload<Self>, on index: Int)
    -> [RuleHit]
  /// What a vCPU reset or INIT does to the pins under the design.
  static func resetNote(_ options: VMOptions) -> String
  /// A vCPU reset or INIT: what the design keeps of vCPU `index`'s part (default: nothing).
  static func reset(_ payload: inout DesignPayload<Self>, on index: Int, options: VMOptions)
  /// A note when `boot` INITs a vCPU whose design state survives the INIT.
  static func initNote(_ payload: DesignPayload<Self>, on index: Int) -> String?
  /// A reboot: every vCPU reset; `keepPins`: the VMM restores the stale pin MSRs. Appends the
  /// design's notes; returns whether stale pin MSRs with pins in them were restored.
  static func reboot(keepPins: Bool, _ payload: inout DesignPayload<Self>, notes: inout [String])
    -> Bool
  /// Migration without the pin state: drops what does not travel; returns whether pins were lost.
  static func dropPinsOnMigration(_ payload: inout DesignPayload<Self>) -> Bool
  /// How the guest kernel pins at the end of its init (`registers`: when it gets there).
  static func bootPinning(_ registers: Registers) -> BootPinning
  /// The hypervisor layer's verdict on a kernel write it dropped.
  static var droppedVerdict: String { get }
  /// What the design does at the end of a guest kernel's init besides `bootPinning` (state it
  /// sets up itself, not through a guest action); returns a note.
  static func boot(_ payload: inout DesignPayload<Self>, on index: Int, registers: Registers) -> String?
  /// What differs between two of the design's per-vCPU parts, as changes of vCPU `index`.
  static func changes(from old: VCPUState, to new: VCPUState, vcpu index: Int) -> [Change]
  /// What differs between two of the design's VM-wide parts.
  static func changes(from old: VMState, to new: VMState) -> [Change]
}

extension PinRules {
  /// The design's initial state on a VM of `vcpuCount` vCPUs, as the registry's case.
  static func fresh(vcpuCount: Int) -> DesignState { wrap(DesignPayload(vcpuCount: vcpuCount)) }

  static func handles(msr number: UInt32) -> Bool { msrs.contains { $0.number == number } }
  static func isAllowedMSR(_ number: UInt32) -> Bool { false }
  static func otherMeaning(of number: UInt32) -> String? { nil }
  static func intercept<Report: WriteReport>(
    _ register: PinnableRegister, value: UInt64, _ context: DesignContext,
    _ payload: DesignPayload<Self>, into report: inout Report
  ) {}
  static var interceptSettles: Bool { false }
  static var checksOnlyEffectivePins: Bool { false }
  static func checkPins<Report: WriteReport>(
    _ register: PinnableRegister, value: UInt64, _ context: DesignContext,
    _ payload: DesignPayload<Self>, into report: inout Report
  ) {}
  static func readMSR(_ number: UInt32, _ context: DesignContext, _ payload: DesignPayload<Self>)
    -> UInt64
  { 0 }
  static func writeMSR<Report: WriteReport>(
    _ number: UInt32, _ data: UInt64, hostInitiated: Bool, _ context: DesignContext,
    _ payload: inout DesignPayload<Self>, into report: inout Report
  ) {}
  static func vmExitValue(
    _ register: PinnableRegister, host: UInt64, _ payload: DesignPayload<Self>, on index: Int
  ) -> UInt64 { host }
  static var vmEntryNote: String? { nil }
  static func rsmImage(
    _ image: Registers, _ payload: DesignPayload<Self>, on index: Int, notes: inout [String]
  ) -> Registers { image }
  static func postRSMViolations(_ registers: Registers, _ payload: DesignPayload<Self>, on index: Int)
    -> [RuleHit]
  { [] }
  static func reset(_ payload: inout DesignPayload<Self>, on index: Int, options: VMOptions) {
    payload.vcpus[index] = initialVCPU
  }
  static func initNote(_ payload: DesignPayload<Self>, on index: Int) -> String? { nil }
  static func reboot(keepPins: Bool, _ payload: inout DesignPayload<Self>, notes: inout [String])
    -> Bool
  {
    payload.vcpus = payload.vcpus.map { _ in initialVCPU }
    return false
  }
  static func dropPinsOnMigration(_ payload: inout DesignPayload<Self>) -> Bool { false }
  static func bootPinning(_ registers: Registers) -> BootPinning { .nothing }
  static var droppedVerdict: String { "dropped" }
  static func boot(_ payload: inout DesignPayload<Self>, on index: Int, registers: Registers) -> String? {
    nil
  }
  static func changes(from old: VCPUState, to new: VCPUState, vcpu index: Int) -> [Change] { [] }
  static func changes(from old: VMState, to new: VMState) -> [Change] { [] }
}

extension Change {
  /// A change of a mask, both values in hex (nothing when equal).
  static func mask(_ field: String, _ old: UInt64, _ new: UInt64, vcpu: Int?) -> [Change] {
    old == new ? [] : [Change(vcpu: vcpu, what: .design(field), old: Hex.short(old), new: Hex.short(new))]
  }
}
