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

  /// What a reset does to the pins under the design in force.
  private var resetNote: String {
    switch options.pinning {
    case .kvm2020 where options.initKeepsPins:
      "INIT keeps the pins (policy init-keeps-pins): this CPU's real-mode bring-up will #GP on "
        + "its first CR0 write without WP."
    case .kvm2020, .kvmRFC2:
      "Reset clears the pins (kvm_vcpu_reset), so a CPU brought up again after hotplug or "
        + "hibernation can run its real-mode start-up code."
    case .heki:
      "[inference from the diff] Heki's locks are per VM and nothing clears them: this CPU's "
        + "real-mode bring-up will #GP on its first CR0 write without WP."
    case .vtl1:
      "VTL1's intercepts on this vCPU stay: they belong to VTL1, not to VTL0's reset. With CR4 "
        + "fully intercepted, the CPU's real-mode start-up writes will be dropped (`reboot` "
        + "restarts VTL1 and clears them)."
    case .absent:
      "No hypervisor pins to clear."
    }
  }

  /// One vCPU back to its power-on state, keeping only the pin state the design keeps.
  mutating func resetVCPU(_ index: Int) {
    var vcpu = VCPU()
    pinStateKeptAcrossReset(vcpus[index], into: &vcpu)
    vcpus[index] = vcpu
  }

  /// Every vCPU reset. The VMM must zero the pin MSRs; with `keepPins` it restores the stale
  /// values instead, and the next boot's first CR0 write without WP takes #GP.
  mutating func reboot(keepPins: Bool, into outcome: inout Outcome) {
    let old = vcpus
    for index in vcpus.indices {
      var vcpu = VCPU()
      vcpu.pinAllowed = old[index].pinAllowed
      if keepPins {
        vcpu.pins = old[index].pins
        vcpu.rfc2Pinned = old[index].rfc2Pinned
      }
      vcpus[index] = vcpu
    }
    stopped = false
    nativePinnedCR4 = nil
    if !hekiLocks.isZero {
      outcome.notes.append(
        "[inference from the diff] Heki's locks survive the reboot (the series does not handle "
          + "reboot yet): the next boot's first CR0 write without WP will #GP.")
    }
    if old.contains(where: { !$0.vtl1Intercept.isZero }) {
      outcome.notes.append("[inference] VTL1 restarts with the partition: its intercepts are gone.")
    }
    if keepPins {
      if old.contains(where: { !$0.pins.isEmpty || !$0.rfc2Pinned.isZero }) {
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
      for index in vcpus.indices {
        vcpus[index].pins = .none
        vcpus[index].rfc2Pinned = .zero
      }
      outcome.notes.append(
        on
          ? "KVM now has the pinning patch; nothing is pinned until the guest or VMM pins."
          : "KVM now runs without the pinning patch: no pin MSRs, no pin checks.")
    }
  }
}
