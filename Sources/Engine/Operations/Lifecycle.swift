/// vCPU reset, VM reboot, live migration and option changes: what the VMM does.
extension VirtualMachine {
  /// `kvm_vcpu_reset`: the pins are cleared, then the architectural reset values apply; SMM and
  /// nested state are gone. A stopped VM runs again.
  mutating func reset(_ index: Int, into outcome: inout Outcome) {
    resetVCPU(index)
    if stopped {
      stopped = false
      outcome.notes.append("The VM was stopped; the reset lets it run again.")
    }
    outcome.notes.append(resetNote)
  }

  /// One vCPU back to its power-on state, keeping only the pin state the design keeps.
  mutating func resetVCPU(_ index: Int) {
    vcpus[index] = VCPU()
    resetDesignState(on: index)
  }

  /// Every vCPU reset. The VMM must zero the pin MSRs; with `keepPins` it restores the stale
  /// values instead, and the next boot's first CR0 write without WP takes #GP.
  mutating func reboot(keepPins: Bool, into outcome: inout Outcome) {
    for index in vcpus.indices { vcpus[index] = VCPU() }
    stopped = false
    nativePinnedCR4 = nil
    let keptStalePins = rebootDesign(keepPins: keepPins, into: &outcome)
    if keepPins {
      if keptStalePins {
        outcome.notes.append(
          "The VMM restored the stale pin MSRs instead of zeroing them: the next boot's early "
            + "CR0/CR4 writes lack the pinned bits and will take #GP.")
      }
    } else {
      outcome.notes.append("The VMM zeroed the pin MSRs, as the patch requires on reboot.")
    }
  }

  /// The VM moves to a fresh host with its registers. The VMM must carry the pin MSRs over;
  /// with `dropPins` it does not, and the destination silently runs unpinned.
  mutating func migrate(dropPins: Bool, into outcome: inout Outcome) {
    guard dropPins else {
      outcome.notes.append("The VMM migrated the pin MSRs with the rest of the vCPU state.")
      return
    }
    if dropHypervisorPins() {
      outcome.notes.append(
        "The VMM did not migrate the pin MSRs: on the destination nothing is pinned and the "
          + "protection is silently gone.")
    }
  }

  /// Flips an option. Turning `kvm-pin` off puts the VM on a KVM without the patch, which has
  /// no pin state: the pins are dropped (turning it back on starts with none).
  mutating func setOption(_ name: VMOptionName, _ on: Bool, into outcome: inout Outcome) {
    guard options[name] != on else { return }
    options[name] = on
    if name == .kvmPin {
      adoptDesign()
      outcome.notes.append(
        on
          ? "KVM now has the pinning patch; nothing is pinned until the guest or VMM pins."
          : "KVM now runs without the pinning patch: no pin MSRs, no pin checks.")
    }
  }
}
