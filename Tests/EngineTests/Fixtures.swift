import Engine
import Testing

/// Shared starting points for engine tests.
enum Fixture {
  /// The default booted VM: CR0 0x80050033, CR4 0x360ef0, WP/SMEP/SMAP/UMIP pinned high.
  static var booted: VirtualMachine { VirtualMachine(bootedWith: 1) }

  /// A booted VM with no pins at all (the VMM hides the CPUID bit, so the guest never pins).
  static var unpinned: VirtualMachine {
    var options = VMOptions()
    options.cpuidPin = false
    return VirtualMachine(bootedWith: 1, options: options)
  }

  /// A VM right after reset: CR0 0x60000010, the rest 0.
  static var fresh: VirtualMachine { VirtualMachine(resetWith: 1) }

  /// Applies actions in order on vCPU 0, requiring each to end `ok` (a test issue at the
  /// caller's line names the first that does not); returns the VM.
  static func after(
    _ actions: [Action], from start: VirtualMachine = booted,
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> VirtualMachine {
    var vm = start
    for action in actions {
      let outcome = vm.apply(action, on: 0)
      #expect(
        outcome.kind == .ok, "set-up action \(action) ended \(outcome.kind)", sourceLocation: sourceLocation)
    }
    return vm
  }
}

extension VirtualMachine {
  /// vCPU 0's registers.
  var regs: Registers { vcpus[0].registers }
}
