/// Hyper-V Virtual Secure Mode secure intercepts as LVBS uses them: VTL1 asks the hypervisor to
/// intercept VTL0's CR0/CR4 writes that change masked bits, and its policy decides.
public enum VTL1Intercepts: PinRules {
  public static let name = "vtl1"
  public static let summary = "Hyper-V VSM secure intercepts (LVBS): VTL1 drops VTL0's CR writes"
  public static let source =
    "Hyper-V TLFS \"Virtual Secure Mode\"; LVBS's VTL1 driver (mshv_vsm_lock_crs)"
  public static var hypervisorIsKVM: Bool { false }

  /// The CR0/CR4 bits whose change VTL1 intercepts on this vCPU (0: off).
  public typealias VCPUState = PinPair
  /// What VTL1 does with an intercepted write (VM-wide).
  public typealias VMState = VTL1Policy
  public static var initialVCPU: PinPair { .zero }
  public static var initialVM: VTL1Policy { .drop }

  static func wrap(_ payload: DesignPayload<VTL1Intercepts>) -> DesignState { .vtl1(payload) }

  /// A refused intercept (policy gp) settles the write: KVM's checks never see it.
  static var interceptSettles: Bool { true }

  /// The intercept, if `value` changes a bit VTL1 watches: the write goes ahead (noted), is
  /// dropped or faults, as the policy says.
  @inline(__always)
  static func intercept<Report: WriteReport>(
    _ register: PinnableRegister, value: UInt64, _ context: DesignContext,
    _ payload: DesignPayload<Self>, into result: inout Report
  ) {
    let old = context.registers[register.controlRegister.register]
    let mask = payload.vcpus[context.index][register]
    let policy = payload.vm
    let changed = (old ^ value) & mask
    guard changed != 0 else { return }
    var what: String {
      "VTL1 intercepts \(register.displayName) writes changing \(Hex.short(mask)); this one "
        + "changes \(BitList.labels(changed & 0xffff_ffff, register))"
    }
    switch policy {
    case .drop:
      result.dropped = true
      result.fail(
        .vtl1Intercept,
        what + ". Policy drop: VTL1 skipped the instruction — nothing changed, no fault.")
    case .gp:
      result.fail(.vtl1Intercept, what + ". Policy gp (a what-if, in neither source): #GP.")
    case .allow:
      result.note(
        what + ". Policy allow (a what-if, in neither source): the write goes ahead, logged.")
    }
  }
}

extension Mechanism {
  /// Hyper-V Virtual Secure Mode: VTL1 intercepts VTL0's CR writes (as LVBS uses them).
  public static let vtl1 = Mechanism(VTL1Intercepts.self)
}

/// VTL1's remaining hooks: nesting, reset, reboot, INIT, boot, and its state's changes.
extension VTL1Intercepts {
  static var vmEntryNote: String? {
    "Under vtl1 nesting is Hyper-V's, outside what the sources describe (the reference marks "
      + "it n/a): crpin runs KVM's nested path here, with no pin forcing on VM-exit."
  }

  static var droppedVerdict: String { "dropped: VTL1 skipped the instruction" }

  public static func stateLine(_ payload: DesignPayload<Self>, on index: Int)
    -> (label: String, value: String)?
  {
    let intercept = payload.vcpus[index]
    guard !intercept.isZero else { return nil }
    let text = PinnableRegister.allCases.filter { intercept[$0] != 0 }
      .map { "\($0.displayName) \(Hex.short(intercept[$0]))" }.joined(separator: ", ")
    return ("VTL1 intercepts", text)
  }

  static func resetNote(_ options: VMOptions) -> String {
    "VTL1's intercepts on this vCPU stay: they belong to VTL1, not to VTL0's reset. With CR4 "
      + "fully intercepted, the CPU's real-mode start-up writes will be dropped (`reboot` "
      + "restarts VTL1 and clears them)."
  }

  /// VTL1 set the intercepts up; a reset of VTL0's vCPU leaves them (LVBS would have to re-arm
  /// or relax them for bring-up — with CR4 fully intercepted, real-mode start-up is dropped).
  static func reset(_ payload: inout DesignPayload<Self>, on index: Int, options: VMOptions) {}

  static func initNote(_ payload: DesignPayload<Self>, on index: Int) -> String? {
    payload.vcpus[index].isZero
      ? nil
      : "VTL1's intercepts survived the INIT: the start-up's CR writes to intercepted bits "
        + "will be handled by VTL1's policy (`reboot` restarts VTL1 and clears them)."
  }

  static func reboot(keepPins: Bool, _ payload: inout DesignPayload<Self>, notes: inout [String])
    -> Bool
  {
    if payload.vcpus.contains(where: { !$0.isZero }) {
      notes.append("[inference] VTL1 restarts with the partition: its intercepts are gone.")
    }
    payload.vcpus = payload.vcpus.map { _ in .zero }
    return false
  }

  /// LVBS's VTL1 intercepts every CR4 bit and drops what it intercepts.
  static func bootPinning(_ registers: Registers) -> BootPinning {
    .steps([
      (.vtl1Intercept(.cr4, 0xffff_ffff), "VTL1 (LVBS): intercept every CR4 bit"),
      (.vtl1Policy(.drop), "VTL1 (LVBS): drop intercepted writes"),
    ])
  }

  static func changes(from old: PinPair, to new: PinPair, vcpu index: Int) -> [Change] {
    Change.mask("vtl1.cr0_intercept", old.cr0, new.cr0, vcpu: index)
      + Change.mask("vtl1.cr4_intercept", old.cr4, new.cr4, vcpu: index)
  }

  static func changes(from old: VTL1Policy, to new: VTL1Policy) -> [Change] {
    old == new ? [] : [Change(vcpu: nil, what: .design("vtl1 policy"), old: old.rawValue, new: new.rawValue)]
  }
}

extension VirtualMachine {
  /// VTL1 sets which bits of CR0/CR4 it intercepts on this vCPU.
  mutating func setVTL1Intercept(
    _ register: PinnableRegister, _ mask: UInt64, on index: Int, into outcome: inout Outcome
  ) {
    guard var payload = requireVTL1(into: &outcome) else { return }
    design = .absent(DesignPayload(vcpuCount: 0))
    payload.vcpus[index][register] = mask
    design = .vtl1(payload)
  }

  /// VTL1's policy for intercepted writes (VM-wide).
  mutating func setVTL1Policy(_ policy: VTL1Policy, into outcome: inout Outcome) {
    guard var payload = requireVTL1(into: &outcome) else { return }
    payload.vm = policy
    design = .vtl1(payload)
    if policy != .drop {
      outcome.notes.append(
        "Policy \(policy.rawValue) is a what-if: LVBS's first driver drops the write; neither "
          + "source has a VTL1 that injects #GP or allows and logs.")
    }
  }

  private func requireVTL1(into outcome: inout Outcome) -> DesignPayload<VTL1Intercepts>? {
    guard let payload = payload(of: VTL1Intercepts.self) else {
      outcome.fail(
        .rejected, .noVTL1,
        "There is no VTL1 under mechanism \(options.mechanism.rawValue): "
          + "`option mechanism vtl1` first.")
      return nil
    }
    return payload
  }
}
