/// Xen's vm_event CR write monitoring: a monitor (an introspection tool in dom0) subscribes to
/// a domain's CR0/CR4 writes and answers each event; a write it denies is dropped silently — no
/// #GP, the guest runs on, the register keeps its old value.
///
/// Sources (the Xen code crpin's reference on post-2020 designs cites; docs/mechanisms.md
/// restates them):
/// - The `write_ctrlreg` monitor (`VM_EVENT_X86_CR0/CR3/CR4/XCR0`, `onchangeonly`) is per
///   domain: `struct arch_domain`'s `monitor` holds `write_ctrlreg_enabled`, `_sync`,
///   `_onchangeonly` and `write_ctrlreg_mask[4]` (xen/include/asm-x86/domain.h).
/// - `hvm_monitor_cr` (xen/arch/x86/hvm/monitor.c) sends an event, with the new and the old
///   value, only when the monitor is enabled for that CR and `(value ^ old) & ~mask` is
///   non-zero: a change of a bit the mask does not exclude. crpin keeps the complement, the
///   bits whose change is sent (`watched`).
/// - `hvm_set_cr0` / `hvm_set_cr4` (xen/arch/x86/hvm/hvm.c) check the value first — CR0: bits
///   63:32, PG without PE; CR4: reserved bits, PAE cleared in long mode, PCIDE turned on outside
///   long mode or with CR3[11:0] set — and only then, for a guest's write (`may_defer`), ask the
///   monitor: "The actual write will occur in hvm_do_resume(), if permitted."
/// - A reply with `VM_EVENT_FLAG_DENY` clears `do_write` (`vm_event_register_write_resume`,
///   xen/arch/x86/vm_event.c): **the write is silently dropped, no #GP**; the register is
///   unchanged; the instruction counts as completed **[inference, crpin's reference]**. The deny
///   is honoured only while the vCPU is paused for the event ("deny flag requires the vCPU to be
///   paused"): the monitor must subscribe synchronously.
///
/// crpin's choices where the reference is silent, each labelled where it shows:
/// - **The monitor's policy** is the tool's, not Xen's: crpin's monitor subscribes when a guest
///   kernel has booted, synchronously, to changes of CR0.WP and CR4.SMEP, SMAP, UMIP (the bits
///   the other designs protect), and denies every event that clears one of them; it allows the
///   rest. [assumption]
/// - Checks after the monitor: crpin runs KVM 5.8's rules where Xen has its own (the model has
///   no Xen CPU rules); a write Xen would refuse only after the monitor is shown as KVM refuses
///   it. [approximation]
/// - Undecided (the reference does not say): what a domain reboot, a migration, SMM (RSM's
///   restore is not a guest write here, so the monitor does not see it) and nested
///   virtualization do to the subscription. crpin keeps the subscription across all of them and
///   says so where it matters.
public enum XenVMEventMonitor: PinRules {
  public static let name = "xen-vm-event"
  public static let summary =
    "Xen vm_event monitor: dom0's tool denies CR writes, which Xen drops (no #GP)"
  public static let source =
    "xen arch/x86/vm_event.c (vm_event_register_write_resume), hvm/monitor.c (hvm_monitor_cr)"
  public static var hypervisorIsKVM: Bool { false }

  /// The monitor's subscription (per domain).
  public struct Monitor: Hashable, Sendable {
    /// The CR0 and CR4 bits whose change sends an event (the complement of Xen's
    /// `write_ctrlreg_mask`); zero: not subscribed.
    public internal(set) var watched = PinPair.zero
  }
  public typealias VCPUState = NoState
  public typealias VMState = Monitor
  public static var initialVM: Monitor { Monitor() }

  /// The bits crpin's monitor watches, and denies clearing: CR0.WP; CR4.SMEP, SMAP, UMIP.
  public static let protected = PinPair(cr0: CR0.wp, cr4: CR4.smep | CR4.smap | CR4.umip)

  static func wrap(_ payload: DesignPayload<XenVMEventMonitor>) -> DesignState { .xen(payload) }

  /// `hvm_set_cr0/cr4` with a subscription: after the checks before the monitor, a guest's write
  /// that changes a watched bit is an event; crpin's monitor denies it when it clears a protected
  /// bit, and Xen drops the write.
  @inline(__always)
  static func checkPins<Report: WriteReport>(
    _ register: PinnableRegister, value: UInt64, _ context: DesignContext,
    _ payload: DesignPayload<Self>, into report: inout Report
  ) {
    let watched = payload.vm.watched[register]
    guard context.instruction, watched != 0, !report.refused else { return }
    let old = context.registers[register.controlRegister.register]
    let changed = (value ^ old) & watched
    guard changed != 0, passesChecksBeforeMonitor(register, value, context.registers) else {
      return
    }
    let cleared = changed & old
    guard cleared != 0 else {
      report.note(
        "Xen sent the monitor a \(register.displayName) write event (changed "
          + "\(BitList.labels(changed, register))); it sets bits only, and the monitor allowed it.")
      return
    }
    report.dropped = true
    report.rule(
      RuleHit(
        .xenMonitorDeny,
        "The monitor denied the \(register.displayName) write (VM_EVENT_FLAG_DENY): it would clear "
          + "\(BitList.labels(cleared, register)). Xen dropped it — no #GP, the guest runs on, "
          + "\(register.displayName) keeps \(Hex.short(old)). [the monitor's policy is crpin's "
          + "assumption]"))
  }

  /// The checks `hvm_set_cr4` makes before asking the monitor that KVM makes after the pin check
  /// (PAE cleared in long mode; PCIDE turned on outside long mode or with a PCID in CR3).
  private static func passesChecksBeforeMonitor(
    _ register: PinnableRegister, _ value: UInt64, _ registers: Registers
  ) -> Bool {
    guard register == .cr4 else { return true }
    if registers.longMode, value & CR4.pae == 0 { return false }
    if value & CR4.pcide != 0, registers.cr4 & CR4.pcide == 0,
      !registers.longMode || registers.cr3 & 0xfff != 0
    {
      return false
    }
    return true
  }

  static var droppedVerdict: String { "dropped: the monitor denied it (VM_EVENT_FLAG_DENY)" }

  /// The monitor subscribes when a kernel has booted (crpin's assumption: when is the tool's).
  static func boot(_ payload: inout DesignPayload<Self>, on index: Int, registers: Registers) -> String? {
    guard payload.vm.watched.isZero else { return nil }
    payload.vm.watched = protected
    return "Xen's monitor (dom0) subscribed to CR0 and CR4 writes, synchronously: changes of "
      + "CR0.WP and CR4.SMEP/SMAP/UMIP now pause the vCPU for its answer, and it denies any that "
      + "clears one. [assumption: the policy is the monitor's, not Xen's]"
  }

  static func resetNote(_ options: VMOptions) -> String {
    "Xen's monitor subscription is per domain (struct arch_domain): a vCPU reset leaves it. The "
      + "CPU's start-up writes set the watched bits, which the monitor allows."
  }

  /// [undecided] The reference does not say whether a domain reboot ends the subscription.
  static func reboot(keepPins: Bool, _ payload: inout DesignPayload<Self>, notes: inout [String])
    -> Bool
  {
    if !payload.vm.watched.isZero {
      notes.append(
        "[undecided] Whether Xen's monitor stays subscribed across a domain reboot is not in "
          + "crpin's sources; crpin keeps the subscription.")
    }
    return false
  }

  static var vmEntryNote: String? {
    "[undecided] Under xen-vm-event nesting is Xen's, outside crpin's sources: crpin runs KVM's "
      + "nested path, and the monitor does not see the VM-exit's load of L1's CR0/CR4."
  }

  public static func stateLine(_ payload: DesignPayload<Self>, on index: Int)
    -> (label: String, value: String)?
  {
    let watched = payload.vm.watched
    guard !watched.isZero else { return nil }
    return ("Xen monitor watches", "CR0 \(Hex.short(watched.cr0)), CR4 \(Hex.short(watched.cr4))")
  }

  static func changes(from old: Monitor, to new: Monitor) -> [Change] {
    Change.mask("xen.cr0_watched", old.watched.cr0, new.watched.cr0, vcpu: nil)
      + Change.mask("xen.cr4_watched", old.watched.cr4, new.watched.cr4, vcpu: nil)
  }
}

extension Mechanism {
  /// Xen's vm_event monitor: dom0's tool denies CR writes; Xen drops them, no #GP.
  public static let xenVMEvent = Mechanism(XenVMEventMonitor.self)
}
