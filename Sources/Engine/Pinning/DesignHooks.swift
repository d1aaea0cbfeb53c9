/// Where the engine calls the design in force: every place pins are set (MSRs, hypercall,
/// intercepts), checked (CR writes, after RSM), forced (VM-exit) and cleared (reset, reboot,
/// migration) goes through one of these, and each hands the design's payload to the design's
/// hook through the registry (`DesignState`). Nothing here knows which design runs.
extension VirtualMachine {
  /// The name of the design in force (`kvm-2020`, …; `none` without hypervisor pinning).
  public var designName: String { design.read(Name()) }

  /// Whether a hypervisor design is in force (not `none`: KVM without the patch, native, none).
  public var hasHypervisorPinning: Bool { design.read(IsPinning()) }

  /// The design in force, as a type (for presentation: not for the engine's paths).
  public var designType: any PinningDesign.Type { design.read(TypeOf()) }

  /// The payload of the design in force if it is `Design`.
  public func payload<Design: PinningDesign>(of type: Design.Type) -> DesignPayload<Design>? {
    design.payload(of: type)
  }

  /// The bits of `register` a guest on vCPU `index` may pin now.
  public func pinAllowed(_ register: PinnableRegister, on index: Int) -> UInt64 {
    design.read(Allowed(register: register, index: index))
  }

  /// The pins in force on vCPU `index` as high/low masks, whatever the design stores: what the
  /// UI and traces show.
  public func effectivePins(on index: Int) -> PinMasks { design.read(EffectivePins(index: index)) }

  /// State of vCPU `index` the effective pins do not show, as a labelled line (`stateLine`).
  public func designStateLine(on index: Int) -> (label: String, value: String)? {
    guard vcpus.indices.contains(index) else { return nil }
    return design.read(StateLine(index: index))
  }

  /// Whether KVM sees the guest's CR writes under the design in force.
  var hypervisorIsKVM: Bool { design.read(IsKVM()) }

  /// Checks a guest instruction's CR write before KVM's own checks; returns whether a refusal
  /// there settles the write.
  @inline(__always)
  func interceptInstruction<Report: WriteReport>(
    _ register: PinnableRegister, value: UInt64, on index: Int, into result: inout Report
  ) -> Bool {
    let context = self.context(on: index)
    var intercept = Intercept(register: register, value: value, context: context)
    return design.read(&intercept, into: &result)
  }

  /// The pin check inside `kvm_set_cr0/cr4`.
  @inline(__always)
  func checkPins<Report: WriteReport>(
    _ register: PinnableRegister, value: UInt64, on index: Int, origin: WriteOrigin,
    into result: inout Report
  ) {
    var context = self.context(on: index)
    context.instruction = origin == .instruction
    var check = Check(register: register, value: value, context: context)
    design.read(&check, into: &result)
  }

  /// Whether the design in force has MSR `number`.
  @inline(__always)
  func designHandles(msr number: UInt32) -> Bool { design.read(Handles(number: number)) }

  /// Whether `number` is a read-only "allowed" MSR of the design in force.
  func isAllowedMSR(_ number: UInt32) -> Bool { design.read(IsAllowed(number: number)) }

  /// Reads a pin MSR the design handles.
  func readPinMSR(_ number: UInt32, on index: Int) -> UInt64 {
    let context = self.context(on: index)
    return design.read(ReadMSR(number: number, context: context))
  }

  /// Writes a pin MSR the design handles; returns what refused it and what to tell.
  @inline(__always)
  mutating func writePinMSR<Report: WriteReport>(
    _ number: UInt32, _ data: UInt64, hostInitiated: Bool, on index: Int
  ) -> Report {
    var context = self.context(on: index)
    context.allowedWritable = options.allowedWritable
    context.reservedCR4 = options.cpu.reservedCR4
    // First on a copy of the payload, read only: a write that changes nothing (a refused one,
    // the usual case in a replay) then never modifies the design storage — no uniqueness check,
    // no refresh of the masks kept beside it. One that does runs again on the storage (the
    // hooks are pure: the same write, the same result) and keeps the first run's report.
    var trial = TrialWriteMSR<Report>(
      number: number, data: data, hostInitiated: hostInitiated, context: context)
    if design.read(&trial) {
      var write = WriteMSR<Report>(
        number: number, data: data, hostInitiated: hostInitiated, context: context)
      design.visit(&write)
    }
    return trial.report
  }

  /// What a hook sees of vCPU `index`.
  @inline(__always)
  private func context(on index: Int) -> DesignContext {
    let vcpu = vcpus[index]
    return DesignContext(registers: vcpu.registers, inSMM: vcpu.inSMM, inL2: vcpu.inL2, index: index)
  }

  /// The check after RSM has restored CR0/CR4.
  func postRSMViolations(on index: Int) -> [RuleHit] {
    design.read(PostRSM(registers: vcpus[index].registers, index: index))
  }

  /// The SMRAM image KVM restores from (a design may rewrite its copy).
  func rsmImage(_ image: Registers, on index: Int, into outcome: inout Outcome) -> Registers {
    var rewrite = RSMImage(image: image, index: index)
    let rewritten = design.read(&rewrite)
    outcome.notes += rewrite.notes
    return rewritten
  }

  /// The value KVM loads into L1's CR0/CR4 on VM-exit from the vmcs12 host field.
  func vmExitValue(_ register: PinnableRegister, host: UInt64, on index: Int) -> UInt64 {
    design.read(VMExit(register: register, host: host, index: index))
  }

  /// A note when L1 enters L2 under the design in force.
  var vmEntryNote: String? { design.read(VMEntryNote()) }

  /// What a reset does to the pins under the design in force.
  var resetNote: String { design.read(ResetNote(options: options)) }

  /// A vCPU reset or INIT: the design keeps what it keeps of vCPU `index`'s state.
  mutating func resetDesignState(on index: Int) {
    var reset = Reset(index: index, options: options)
    design.visit(&reset)
  }

  /// A note when `boot` INITs vCPU `index` whose design state survived.
  func initNote(on index: Int) -> String? { design.read(InitNote(index: index)) }

  /// A reboot of the design's state; returns whether stale pins were restored.
  mutating func rebootDesign(keepPins: Bool, into outcome: inout Outcome) -> Bool {
    var reboot = Reboot(keepPins: keepPins)
    let kept = design.visit(&reboot)
    outcome.notes += reboot.notes
    return kept
  }

  /// Migration without the pin state: the hypervisor's pins are gone on the destination.
  /// Returns whether anything was lost.
  mutating func dropHypervisorPins() -> Bool {
    var drop = DropPins()
    return design.visit(&drop)
  }

  /// How the guest kernel pins at the end of its init under the design in force.
  func bootPinning(_ registers: Registers) -> BootPinning { design.read(Boot(registers: registers)) }

  /// The hypervisor layer's verdict on a kernel write it dropped.
  var droppedVerdict: String { design.read(DroppedVerdict()) }

  /// What the design sets up itself at the end of a kernel's init; returns a note.
  mutating func bootDesign(on index: Int) -> String? {
    var boot = BootState(index: index, registers: vcpus[index].registers)
    return design.visit(&boot)
  }

  /// Puts the design that `options` select in force, fresh, when it is not in force already.
  mutating func adoptDesign() {
    let name = Self.designType(for: options).name
    if designName != name { design = Self.freshDesign(for: options, vcpuCount: vcpus.count) }
  }

  /// The design `options` select, in its initial state.
  static func freshDesign(for options: VMOptions, vcpuCount: Int) -> DesignState {
    designType(for: options).fresh(vcpuCount: vcpuCount)
  }

  /// The design the options select: the mechanism's, unless it needs KVM's patch and
  /// `kvm-pin` is off.
  static func designType(for options: VMOptions) -> any PinRules.Type {
    guard let design = options.mechanism.rules, !design.needsKVMPatch || options.kvmPin else {
      return NoPinning.self
    }
    return design
  }
}

extension DesignState {
  /// What differs for vCPU `index` between this state and `other` (a change of design shows
  /// the old design's state going to its initial values and the new one's coming from them).
  func vcpuChanges(to other: DesignState, vcpu index: Int) -> [Change] {
    self == other ? [] : read(ChangesTo(other: other, index: index))
  }

  /// What differs VM-wide between this state and `other`.
  func vmChanges(to other: DesignState) -> [Change] {
    self == other ? [] : read(ChangesTo(other: other, index: nil))
  }
}

extension DesignState {
  /// `read(&reader)` for a reader that keeps nothing.
  @inline(__always)
  func read<Reader: DesignReader>(_ reader: Reader) -> Reader.Result {
    var reader = reader
    var unused = WriteVerdict()
    return read(&reader, into: &unused)
  }

  /// `read(&reader, into:)` for a reader that reports nothing.
  @inline(__always)
  func read<Reader: DesignReader>(_ reader: inout Reader) -> Reader.Result {
    var unused = WriteVerdict()
    return read(&reader, into: &unused)
  }
}

// The visitors and readers, one per hook: each opens the payload for its design.

private struct Name: DesignReader {
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> String { Design.name }
}

private struct IsPinning: DesignReader {
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> Bool {
    Design.self != NoPinning.self
  }
}

private struct TypeOf: DesignReader {
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> any PinningDesign.Type {
    Design.self
  }
}

private struct PayloadOf<Wanted: PinningDesign>: DesignReader {
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> DesignPayload<Wanted>? {
    payload as? DesignPayload<Wanted>
  }
}

private struct Allowed: DesignReader {
  let register: PinnableRegister
  let index: Int
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> UInt64 {
    Design.allowed(register, payload, on: index)
  }
}

private struct EffectivePins: DesignReader {
  let index: Int
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> PinMasks {
    Design.effectivePins(payload, on: index)
  }
}

private struct StateLine: DesignReader {
  let index: Int
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> (label: String, value: String)? {
    Design.stateLine(payload, on: index)
  }
}

private struct IsKVM: DesignReader {
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> Bool { Design.hypervisorIsKVM }
}

private struct Intercept: DesignReader {
  let register: PinnableRegister
  let value: UInt64
  let context: DesignContext
  @inline(__always)
  mutating func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> Bool {
    Design.intercept(register, value: value, context, payload, into: &report)
    return Design.interceptSettles
  }
}

private struct Check: DesignReader {
  let register: PinnableRegister
  let value: UInt64
  let context: DesignContext
  @inline(__always)
  mutating func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) {
    Design.checkPins(register, value: value, context, payload, into: &report)
  }
}

private struct Handles: DesignReader {
  let number: UInt32
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> Bool {
    Design.handles(msr: number)
  }
}

private struct IsAllowed: DesignReader {
  let number: UInt32
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> Bool {
    Design.isAllowedMSR(number)
  }
}

private struct ReadMSR: DesignReader {
  let number: UInt32
  let context: DesignContext
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> UInt64 {
    Design.readMSR(number, context, payload)
  }
}

private struct WriteMSR<Report: WriteReport>: DesignVisitor {
  let number: UInt32
  let data: UInt64
  let hostInitiated: Bool
  let context: DesignContext
  var report = Report()
  @inline(__always)
  mutating func visit<Design: PinRules>(_ payload: inout DesignPayload<Design>) {
    Design.writeMSR(number, data, hostInitiated: hostInitiated, context, &payload, into: &report)
  }
}

/// `WriteMSR` on a copy of the payload: its report, and whether the write changed the payload.
private struct TrialWriteMSR<Report: WriteReport>: DesignReader {
  let number: UInt32
  let data: UInt64
  let hostInitiated: Bool
  let context: DesignContext
  var report = Report()
  @inline(__always)
  mutating func read<Design: PinRules, Unused: WriteReport>(
    _ payload: DesignPayload<Design>, into unused: inout Unused
  ) -> Bool {
    var copy = payload
    Design.writeMSR(number, data, hostInitiated: hostInitiated, context, &copy, into: &report)
    return copy != payload
  }
}

private struct PostRSM: DesignReader {
  let registers: Registers
  let index: Int
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> [RuleHit] {
    Design.postRSMViolations(registers, payload, on: index)
  }
}

private struct RSMImage: DesignReader {
  let image: Registers
  let index: Int
  var notes: [String] = []
  @inline(__always)
  mutating func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> Registers {
    Design.rsmImage(image, payload, on: index, notes: &notes)
  }
}

private struct VMExit: DesignReader {
  let register: PinnableRegister
  let host: UInt64
  let index: Int
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> UInt64 {
    Design.vmExitValue(register, host: host, payload, on: index)
  }
}

private struct VMEntryNote: DesignReader {
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> String? { Design.vmEntryNote }
}

private struct ResetNote: DesignReader {
  let options: VMOptions
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> String {
    Design.resetNote(options)
  }
}

private struct Reset: DesignVisitor {
  let index: Int
  let options: VMOptions
  @inline(__always)
  func visit<Design: PinRules>(_ payload: inout DesignPayload<Design>) {
    Design.reset(&payload, on: index, options: options)
  }
}

private struct InitNote: DesignReader {
  let index: Int
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> String? {
    Design.initNote(payload, on: index)
  }
}

private struct Reboot: DesignVisitor {
  let keepPins: Bool
  var notes: [String] = []
  @inline(__always)
  mutating func visit<Design: PinRules>(_ payload: inout DesignPayload<Design>) -> Bool {
    Design.reboot(keepPins: keepPins, &payload, notes: &notes)
  }
}

private struct DropPins: DesignVisitor {
  @inline(__always)
  func visit<Design: PinRules>(_ payload: inout DesignPayload<Design>) -> Bool {
    Design.dropPinsOnMigration(&payload)
  }
}

private struct Boot: DesignReader {
  let registers: Registers
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> BootPinning {
    Design.bootPinning(registers)
  }
}

private struct BootState: DesignVisitor {
  let index: Int
  let registers: Registers
  @inline(__always)
  func visit<Design: PinRules>(_ payload: inout DesignPayload<Design>) -> String? {
    Design.boot(&payload, on: index, registers: registers)
  }
}

private struct DroppedVerdict: DesignReader {
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> String { Design.droppedVerdict }
}

/// The changes from one design state to another: field by field when the design is the same;
/// otherwise the old design's state back to its initial values, then the new one's from them.
private struct ChangesTo: DesignReader {
  let other: DesignState
  /// The vCPU, or `nil` for the VM-wide part.
  let index: Int?

  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ old: DesignPayload<Design>, into report: inout Report
  ) -> [Change] {
    if let new = other.payload(of: Design.self) { return diff(old, new) }
    let initial = DesignPayload<Design>(vcpuCount: old.vcpus.count)
    return diff(old, initial) + other.read(ChangesFrom(index: index))
  }

  private func diff<Design: PinRules>(_ old: DesignPayload<Design>, _ new: DesignPayload<Design>)
    -> [Change]
  {
    guard let index else { return Design.changes(from: old.vm, to: new.vm) }
    guard old.vcpus.indices.contains(index), new.vcpus.indices.contains(index) else { return [] }
    return Design.changes(from: old.vcpus[index], to: new.vcpus[index], vcpu: index)
  }
}

/// The changes from a design's initial state to `payload`.
private struct ChangesFrom: DesignReader {
  let index: Int?
  @inline(__always)
  func read<Design: PinRules, Report: WriteReport>(
    _ new: DesignPayload<Design>, into report: inout Report
  ) -> [Change] {
    let initial = DesignPayload<Design>(vcpuCount: new.vcpus.count)
    guard let index else { return Design.changes(from: initial.vm, to: new.vm) }
    guard new.vcpus.indices.contains(index) else { return [] }
    return Design.changes(from: initial.vcpus[index], to: new.vcpus[index], vcpu: index)
  }
}

extension DesignState {
  /// The payload if the design in force is `Design`.
  func payload<Design: PinningDesign>(of _: Design.Type) -> DesignPayload<Design>? {
    read(PayloadOf<Design>())
  }
}
