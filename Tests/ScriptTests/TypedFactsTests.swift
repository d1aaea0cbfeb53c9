import Engine
import Script
import Testing

/// Facts cross modules typed: a compare cell says what happened as a value, a layer says which
/// layer decided what, a change says what changed; the words are derived from them.
@Suite("typed facts between modules")
struct TypedFactsTests {
  @Test("a kernel write native pinning undid is a typed restore cell, worded restored+warned")
  func restoredCell() throws {
    let comparison = try Comparison.run("kernel write cr4, 0x260ef0").get()
    let native = try #require(comparison.mechanisms.firstIndex(of: .native))
    let cell = comparison.rows[0].results[native]
    #expect(cell.outcome == .restored(bits: CR4.smep))
    #expect(cell.text == "restored+warned")
    let kvm = try #require(comparison.mechanisms.firstIndex(of: .kvm2020))
    #expect(comparison.rows[0].results[kvm].outcome == .ended(.gp))
  }

  @Test("a failed expect[M] marks the cell, not its words")
  func failedExpectation() throws {
    let comparison = try Comparison.run("clear cr4.SMEP\nexpect[vtl1] gp").get()
    let vtl1 = try #require(comparison.mechanisms.firstIndex(of: .vtl1))
    let cell = comparison.rows[0].results[vtl1]
    #expect(cell.outcome == .ended(.dropped) && cell.expectationFailed)
    #expect(cell.text == "dropped ✗")
  }

  @Test(
    "cells word every outcome as crpin compare always has",
    arguments: [
      (OutcomeCell.ended(.exit), "VM stops"), (.ended(.gp), "#GP"), (.forced, "ok, forced"),
      (.rewritten, "ok, rewritten"), (.read(0x30_0800), "read 0x300800"), (.ended(.ok), "ok"),
    ])
  func words(cell: OutcomeCell, text: String) {
    #expect(cell.text == text)
  }

  @Test("changes carry their field typed; traces keep the old names")
  func changeFields() {
    var options = VMOptions()
    options.mechanism = .kvm2020
    let vm = VirtualMachine(bootedWith: 1, options: options)
    let outcome = vm.preview(.mov(.cr4, vm.vcpus[0].registers.cr4 ^ CR4.pce), on: 0)
    #expect(outcome.changes.map(\.what) == [.register(.cr4)])
    #expect(outcome.changes.map(\.field) == ["CR4"])
    #expect(ChangeField.pins(.cr4, high: true).name == "pins.cr4_high")
    #expect(ChangeField.vmcs12HostCR(.cr0).name == "vmcs12.host_cr0")
  }

  @Test("an action's actor is typed; the log writes its name")
  func actors() {
    #expect(Action.smi.actor == .smm && Action.smi.actor.name == "SMM")
    #expect(Action.kernelWrite(.cr4, 0).actor == .kernel)
  }
}
