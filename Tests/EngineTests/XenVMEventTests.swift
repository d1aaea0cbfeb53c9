import Engine
import Testing

/// Xen's vm_event CR write monitoring (`XenVMEventMonitor`): a denied write is dropped — no #GP,
/// the register keeps its old value — and everything the model does around the monitor.
@Suite("xen vm_event monitor")
struct XenVMEventTests {
  /// Computed, not a `static let`: a VM held by a global until exit is reported as a leak by
  /// LeakSanitizer (CI's ASan run), which cannot follow a pointer whose spare bits hold the
  /// design's enum case.
  static var booted: VirtualMachine { MechanismTests.booted(.xenVMEvent) }
  static let noSMEP: UInt64 = 0x36_0ef0 & ~CR4.smep

  @Test("the monitor subscribes at boot to WP and SMEP/SMAP/UMIP")
  func subscribesAtBoot() {
    let fresh = Fixture.after([.mechanism(.xenVMEvent)], from: Fixture.fresh)
    #expect(fresh.payload(of: XenVMEventMonitor.self)?.vm.watched == .zero)
    #expect(Self.booted.payload(of: XenVMEventMonitor.self)?.vm.watched == XenVMEventMonitor.protected)
    #expect(Self.booted.designStateLine(on: 0)?.label == "Xen monitor watches")
  }

  @Test("a denied write is dropped: no #GP, the register keeps its value, the guest runs on")
  func deniedIsDropped() {
    var vm = Self.booted
    let outcome = vm.apply(.mov(.cr4, Self.noSMEP), on: 0)
    #expect(outcome.kind == .dropped)
    #expect(outcome.ruleIDs == [.xenMonitorDeny])
    #expect(outcome.rules[0].message.contains("no #GP"))
    #expect(vm.regs.cr4 == 0x36_0ef0)
    #expect(!vm.stopped)
    #expect(vm.apply(.mov(.cr4, 0x36_0ef0 | CR4.pce), on: 0).kind == .ok, "the guest runs on")
  }

  @Test("CR0.WP: the raw mov and the kernel's write are both dropped", arguments: [false, true])
  func wpDropped(kernel: Bool) {
    var vm = Self.booted
    let value: UInt64 = 0x8005_0033 & ~CR0.wp
    let outcome = vm.apply(kernel ? .kernelWrite(.cr0, value) : .mov(.cr0, value), on: 0)
    #expect(outcome.kind == .dropped)
    #expect(vm.regs.cr0 == 0x8005_0033)
  }

  @Test("the monitor allows a write that sets a watched bit, and never sees unwatched bits")
  func allowsSetsAndUnwatched() {
    var vm = Fixture.after([.mechanism(.xenVMEvent), .boot, .reset])
    #expect(vm.apply(.boot, on: 0).kind == .ok, "start-up sets WP, SMEP…: events the monitor allows")
    let pce = vm.apply(.mov(.cr4, vm.regs.cr4 | CR4.pce), on: 0)
    #expect(pce.kind == .ok && pce.notes.isEmpty)
  }

  @Test("before the monitor subscribes nothing is watched")
  func unsubscribed() {
    var vm = Fixture.after([.mechanism(.xenVMEvent)])
    #expect(vm.apply(.mov(.cr4, Self.noSMEP), on: 0).kind == .ok)
  }

  @Test("Xen's checks before the monitor come first: clearing PAE in long mode is #GP, not dropped")
  func checksBeforeMonitor() {
    let outcome = Self.booted.preview(.mov(.cr4, Self.noSMEP & ~CR4.pae), on: 0)
    #expect(outcome.kind == .gp)
    #expect(!outcome.ruleIDs.contains(.xenMonitorDeny))
  }

  @Test("wp-guest-owned is KVM's: under Xen the WP write still reaches the monitor")
  func notKVM() {
    let vm = Fixture.after([.option(.wpGuestOwned, true)], from: Self.booted)
    #expect(vm.preview(.mov(.cr0, 0x8005_0033 & ~CR0.wp), on: 0).kind == .dropped)
  }

  @Test("step decides as apply does")
  func stepAgrees() {
    var vm = Self.booted
    #expect(vm.step(.mov(.cr4, Self.noSMEP), on: 0) == .dropped)
    #expect(vm.regs.cr4 == 0x36_0ef0)
  }

  @Test("reset keeps the per-domain subscription; reboot keeps it, labelled undecided")
  func resetAndReboot() {
    var vm = Self.booted
    vm.apply(.reset, on: 0)
    #expect(vm.payload(of: XenVMEventMonitor.self)?.vm.watched == XenVMEventMonitor.protected)
    let reboot = vm.apply(.reboot(keepPins: false), on: 0)
    #expect(reboot.notes.contains { $0.hasPrefix("[undecided]") })
    #expect(vm.payload(of: XenVMEventMonitor.self)?.vm.watched == XenVMEventMonitor.protected)
  }

  @Test("RSM's restore is not a guest write: the monitor does not see it (undecided in the sources)")
  func rsmUnseen() {
    let vm = Fixture.after([.smi, .smram(.cr4, Self.noSMEP), .rsm], from: Self.booted)
    #expect(vm.regs.cr4 == Self.noSMEP)
  }

  @Test("registered: a mechanism name, a column everywhere, no MSRs")
  func registered() {
    #expect(Mechanism(rawValue: "xen-vm-event") == .xenVMEvent)
    #expect(Mechanism.allCases.contains(.xenVMEvent))
    #expect(MSRCatalog.pinMSRs(of: .xenVMEvent).isEmpty)
    #expect(Self.booted.designName == "xen-vm-event")
  }
}
