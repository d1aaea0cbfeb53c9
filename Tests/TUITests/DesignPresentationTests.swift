import Engine
import Testing

@testable import TUI

/// Every registered pinning design has a presentation companion, and the TUI shows each through
/// it: the MSR panel's title, the grid's symbols, the pin keys.
@Suite("design presentation")
struct DesignPresentationTests {
  @Test("every mechanism's design has a companion", arguments: Mechanism.allCases)
  func companion(mechanism: Mechanism) {
    guard let design = mechanism.design else { return }
    #expect(design is any DesignPresentation.Type, "\(mechanism.rawValue)")
  }

  @Test("xen-vm-event: the panel shows the monitor, the grid its watched bits, the keys refuse")
  func xen() {
    var vm = VirtualMachine(resetWith: 1)
    vm.apply(.mechanism(.xenVMEvent), on: 0)
    vm.apply(.boot, on: 0)
    let design = Presentation.of(vm)
    let title = design.panelTitle(vm)
    let watches = design.watchesBits
    #expect(title == "Xen monitor (per domain)")
    #expect(watches)
    #expect(Presentation.symbol(vm, vcpu: 0, register: .cr4, mask: CR4.smep)?.text == "◆")
    #expect(Presentation.symbol(vm, vcpu: 0, register: .cr4, mask: CR4.pge) == nil)
    let cursor = BitCursor(.cr4, 20)
    guard case .failure = PinKey.hostPin(high: true).action(in: vm, vcpu: 0, cursor: cursor) else {
      Issue.record("a pin key acted under xen-vm-event")
      return
    }
  }

  @Test("the mechanism picker (M) lists xen-vm-event")
  func picker() {
    var d = Driver(AppState(isRecording: true))
    d.press(.character("M"))
    #expect(d.screen().text.contains("xen-vm-event"))
  }
}
