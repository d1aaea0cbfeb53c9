/// The version axis: which Linux the guest runs (`option kernel`), which KVM the host runs
/// (`option kvm`), and the guest's CPUID (`host cpuid`). Facts: `GuestKernelFacts`,
/// `HostKVMFacts`, docs/versions.md.
extension VirtualMachine {
  /// `option kernel X`: the VM reboots as `reboot` does (the VMM zeroes the pin MSRs), then
  /// every vCPU boots Linux X.
  mutating func switchKernel(to version: LinuxVersion, into outcome: inout Outcome) {
    guard options.kernel != version else {
      outcome.notes.append("The guest already runs Linux \(version): nothing to do.")
      return
    }
    let old = options.kernel
    reboot(keepPins: false, into: &outcome)
    options.kernel = version
    outcome.notes.append(
      "The guest rebooted from Linux \(old) into Linux \(version): every vCPU booted the new kernel, "
        + "which decides what boot sets and what native pinning holds.")
    for index in vcpus.indices {
      var sub = Outcome(before: self, action: .boot, index: index)
      boot(on: index, into: &sub)
      outcome.steps.append(
        Step(
          action: .boot, context: "vCPU \(index): Linux \(version) boots", kind: sub.kind, rules: sub.rules,
          failureIgnored: false))
      guard sub.kind == .ok else {
        outcome.kind = sub.kind
        outcome.rules += sub.rules
        outcome.notes += sub.notes
        return
      }
    }
  }

  /// `option kvm X`: later writes meet KVM X's checks; every register and pin is kept.
  mutating func switchKVM(to version: LinuxVersion, into outcome: inout Outcome) {
    guard options.kvm != version else {
      outcome.notes.append("The host already runs KVM \(version): nothing to do.")
      return
    }
    options.kvm = version
    outcome.notes.append(
      "What-if: the host now runs KVM \(version) with the VM's state kept (a real VM changes KVM "
        + "only by migrating).")
    if options.patchRunsRebased {
      outcome.notes.append(
        "The pinning patch was posted against KVM 5.8 and never merged: crpin runs its pin check as "
          + "if the patch were rebased onto KVM \(version).")
    }
  }

  /// `host cpuid +FEATURE` / `-FEATURE`: KVM_SET_CPUID2 with the feature added or removed.
  mutating func setCPUID(_ feature: CPUFeature, present: Bool, into outcome: inout Outcome) {
    guard options.cpu.has(feature) != present else {
      outcome.notes.append(
        "CPUID \(present ? "already shows" : "already lacks") \(feature.displayName): nothing changed.")
      return
    }
    if present {
      options.cpu.features.insert(CPUFeatureSet(feature))
    } else {
      options.cpu.features.remove(CPUFeatureSet(feature))
    }
    outcome.notes.append(
      "The VMM \(present ? "added \(feature.displayName) to" : "removed \(feature.displayName) from") the "
        + "guest's CPUID: KVM's reserved-bit checks follow at once; the guest kernel reads CPUID at "
        + "boot, so it sees the change at its next `boot` or `reboot`.")
  }
}
