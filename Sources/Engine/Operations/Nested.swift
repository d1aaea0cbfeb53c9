/// Nested virtualization seen from L0: L1 is a hypervisor (in VMX operation; crpin does not
/// model VMXON) running L2. VMX (Intel) semantics: `load_vmcs12_host_state` on VM-exit.
extension VirtualMachine {
  /// L1 writes a vmcs12 host-state field: the CR value KVM loads into L1 on the next VM-exit.
  mutating func writeVMCS12(
    _ field: VMCS12Field, _ value: UInt64, on index: Int, into outcome: inout Outcome
  ) {
    guard !vcpus[index].inL2 else {
      outcome.fail(
        .rejected, .vmcs12WhileL2,
        "vmcs12 belongs to L1: while L2 runs, L1 is not executing and cannot VMWRITE it.")
      return
    }
    guard !vcpus[index].inSMM else {
      outcome.fail(
        .ud, .vmxInSMM,
        "VMX instructions are unavailable in SMM (KVM leaves VMX operation on SMM entry): #UD.")
      return
    }
    switch field {
    case .hostCR0: vcpus[index].nested.explicitHostCR0 = value
    case .hostCR4: vcpus[index].nested.explicitHostCR4 = value
    }
  }

  /// VM-entry: L2 starts from L1's current register values; vmcs12 host fields L1 did not set
  /// explicitly take L1's current values.
  mutating func enterL2(on index: Int, into outcome: inout Outcome) {
    let vcpu = vcpus[index]
    guard !vcpu.inSMM else {
      outcome.fail(
        .ud, .vmxInSMM,
        "VMX instructions are unavailable in SMM (KVM leaves VMX operation on SMM entry): #UD.")
      return
    }
    guard !vcpu.inL2 else {
      outcome.fail(
        .ud, .vmentryInL2,
        "L2 is already running; crpin models one level of nesting (VMLAUNCH in L2 exits to L1, "
          + "which injects #UD).")
      return
    }
    guard options.cpu.has(.vmx) else {
      outcome.fail(.ud, .vmxMissing, "This guest CPU has no VMX: VMLAUNCH is an invalid opcode.")
      return
    }
    let l1 = vcpu.registers
    vcpus[index].nested.hostState = Registers(
      cr0: vcpu.nested.explicitHostCR0 ?? l1.cr0, cr3: l1.cr3,
      cr4: vcpu.nested.explicitHostCR4 ?? l1.cr4, efer: l1.efer)
    vcpus[index].nested.inL2 = true
    if let note = vmEntryNote { outcome.notes.append(note) }
  }

  /// VM-exit from L2 to L1.
  mutating func exitToL1(on index: Int, into outcome: inout Outcome) {
    guard vcpus[index].inL2 else {
      outcome.fail(.rejected, .notInL2, "L2 is not running: there is nothing to exit from.")
      return
    }
    loadL1HostState(on: index, into: &outcome)
  }

  /// `load_vmcs12_host_state` with the patch: L1's CR0/CR4 become `(host | high) & ~low`,
  /// silently, without any check; CR3 and EFER come back from the host state.
  mutating func loadL1HostState(on index: Int, into outcome: inout Outcome) {
    let vcpu = vcpus[index]
    let host = vcpu.nested.hostState ?? vcpu.registers
    let cr0 = vmExitValue(.cr0, host: host.cr0, on: index)
    let cr4 = vmExitValue(.cr4, host: host.cr4, on: index)
    vcpus[registersOf: index] = Registers(cr0: cr0, cr3: host.cr3, cr4: cr4, efer: host.efer)
    vcpus[index].nested.inL2 = false
    let forced = ForcedBits(cr0: cr0 ^ host.cr0, cr4: cr4 ^ host.cr4)
    guard forced.cr0 != 0 || forced.cr4 != 0 else { return }
    outcome.forced = forced
    for (register, bits, value) in [(PinnableRegister.cr0, forced.cr0, cr0), (.cr4, forced.cr4, cr4)] {
      for (mask, direction) in [(bits & value, "back on"), (bits & ~value, "off")] where mask != 0 {
        outcome.notes.append(
          "KVM silently forced \(BitList.labels(mask, register)) \(direction) when loading L1's "
            + "\(register.displayName) from vmcs12 host_\(register.rawValue) "
            + "(load_vmcs12_host_state): no fault, no warning.")
      }
    }
  }
}
