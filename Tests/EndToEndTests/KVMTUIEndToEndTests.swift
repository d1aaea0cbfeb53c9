import Foundation
import Testing

/// `crpin tui --kvm` in a real terminal (tmux) on this machine's /dev/kvm. Where /dev/kvm is
/// missing the tests that need it say so and run nothing; under CI (`CRPIN_CI_EXTRA=1`) a
/// missing /dev/kvm fails.
@Suite("tui --kvm end to end (tmux, /dev/kvm)", .serialized)
struct KVMTUIEndToEndTests {
  /// Whether /dev/kvm is here; if not, says so (or fails under CI).
  static func kvmPresent(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard FileManager.default.fileExists(atPath: "/dev/kvm") else {
      if ProcessInfo.processInfo.environment["CRPIN_CI_EXTRA"] == "1" {
        Issue.record(
          "/dev/kvm is missing: CI (CRPIN_CI_EXTRA=1) needs it for the real-KVM tests",
          sourceLocation: sourceLocation)
      } else {
        print("note: /dev/kvm is missing on this machine: this real-KVM test ran nothing")
      }
      return false
    }
    return true
  }

  static var isPVM: Bool { FileManager.default.fileExists(atPath: "/sys/module/kvm_pvm") }

  @Test("toggling SMEP from the booted state: the log has the model's outcome and the real one")
  func toggleSMEP() throws {
    guard Self.kvmPresent() else { return }
    let app = try TUIRun(width: 120, height: 40, arguments: "tui --kvm")
    let start = try app.tmux.waitFor("real KVM")
    // One vCPU unless --vcpus asks for more: the real vCPU follows vCPU 0.
    #expect(start.contains("vCPU 0/1"))
    let module = Self.isPVM ? "kvm_pvm" : ""
    #expect(start.split(separator: "\n").first?.contains("real KVM \(module)") == true)
    #expect(start.contains(" vs kvm-pin off") || start.contains(" vs kvm-pin on"))
    #expect(start.contains("a real vCPU cannot preview"))
    try app.tmux.keys("Space")
    let screen = try app.tmux.waitFor("the real outcome in the log") {
      $0.contains("1 guest  mov cr4, 0x") && $0.contains("real KVM: ")
    }
    #expect(screen.contains("real KVM: #GP ✓") || screen.contains("✗ differs: "))
    if Self.isPVM, screen.contains("CPUID SMEP missing") {
      // The model #GPs (SMEP not in the guest's CPUID); kvm_pvm accepts it anyway.
      #expect(screen.contains("real KVM: ok ✗ differs: model #GP, real KVM ok"))
      #expect(screen.contains("pvm.cr4-ignores-cpuid: CR4.UMIP, SMEP, SMAP"))
    }
    try app.tmux.keys("q")
    try app.tmux.waitFor("Quit")
    try app.tmux.keys("y")
    let (status, _) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=0")
  }

  @Test("a pin-MSR write from the booted state, then undo replays on a fresh real boot")
  func pinMSRAndUndo() throws {
    guard Self.kvmPresent() else { return }
    let app = try TUIRun(width: 120, height: 40, arguments: "tui --kvm --vcpus 1")
    try app.tmux.waitFor("real KVM")
    try app.tmux.keys(":")
    try app.tmux.type("wrmsr CR4_PINNED_HIGH, 0x100000", enter: true)
    let screen = try app.tmux.waitFor("the pin MSR's real outcome") {
      $0.contains("wrmsr CR4_PINNED_HIGH, 0x100000") && $0.contains("real KVM: ")
    }
    // No released KVM knows the pin MSRs: both #GP where the model is kvm-pin off.
    if screen.contains("vs kvm-pin off") {
      #expect(screen.contains("real KVM: #GP ✓"))
    } else {
      #expect(screen.contains("real KVM: ok ✓") || screen.contains("✗ differs: "))
    }
    try app.tmux.keys(":")
    try app.tmux.type("rdmsr EFER", enter: true)
    try app.tmux.waitFor("real KVM: ok = 0xd01 ✓")
    try app.tmux.keys("u")
    try app.tmux.waitFor("real KVM: fresh boot, 1 replayed · history point 1 of 2")
  }

  @Test("no /dev/kvm: one line naming the cause, exit 2, the terminal untouched")
  func noKVM() throws {
    let binary = try CrpinBinary.require()
    let result = try Tmux.execute(
      ["CRPIN_KVM_DEVICE=/nonexistent/kvm", binary, "tui", "--kvm"])
    #expect(result.status == 2)
    #expect(result.output.isEmpty)
    #expect(
      result.error
        == "crpin: error: no KVM on this machine (/nonexistent/kvm: No such file or directory): --kvm and verify need /dev/kvm (load kvm_intel or kvm_amd)\n"
    )
  }
}
