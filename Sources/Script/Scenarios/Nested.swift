extension Scenario {
  /// L1 edits vmcs12 to return from L2 without SMEP.
  static let nestedRestore = Scenario(
    id: "nested-restore",
    title: "Coming back from L2 without SMEP: KVM forces the pinned bits",
    source: """
      #> Our guest is L1, a hypervisor running its own guest L2. On every VM exit, KVM loads
      #> L1's CR0 and CR4 from the vmcs12 host-state fields, which L1 itself writes. An L1
      #> attacker sets host_cr4 without SMEP, hoping to come back unprotected.
      vmcs12 host_cr4, cr4 & ~SMEP
      expect ok
      vmentry
      expect ok
      expect l2 == 1
      vmexit
      expect ok
      expect l2 == 0
      expect cr4.SMEP == 1
      expect cr4 == 0x360ef0
      expect note "silently forced"
      #> KVM forced the pinned-high bits on while loading the host state: no fault, no warning.
      """)

  /// Pins belong to L1 only.
  static let l2Unpinned = Scenario(
    id: "l2-unpinned",
    title: "Pins belong to L1 only: L2 may run without SMEP",
    source: """
      #> L2 starts with L1's register values, but the pins are L1's: L2's own CR writes are not
      #> checked against them.
      vmentry
      expect ok
      clear cr4.SMEP
      expect ok
      expect l2 == 1
      expect cr4.SMEP == 0
      #> Back in L1, SMEP is still on.
      vmexit
      expect ok
      expect l2 == 0
      expect cr4.SMEP == 1
      """)

  /// An SMI taken in L2 makes RSM fail with #UD.
  static let nestedSMM = Scenario(
    id: "nested-smm",
    title: "An SMI in an L2 without SMEP: RSM takes #UD and L2 runs on",
    source: """
      #> L2 legitimately runs without SMEP.
      vmentry
      expect ok
      clear cr4.SMEP
      expect ok
      #> An SMI arrives while L2 runs. SMRAM records L2's registers; KVM leaves guest mode
      #> through a VM exit to L1, then enters SMM.
      smi
      expect ok
      expect smm == 1
      expect smram.cr4 == 0x260ef0
      #> RSM goes back into guest mode and restores L2's values, skipping the pin check as
      #> guest mode does. Then the patch's final check compares L2's CR4 with L1's pins, and
      #> fails. The RSM emulation fails, but in guest mode KVM does not exit to the VMM: it
      #> injects #UD into L2 (assuming L1 does not intercept #UD), and L2 runs on without
      #> SMEP. Compare smm-tamper, where the same failure outside L2 stops the VM (D6).
      rsm
      expect ud
      expect rule rsm.post-check
      expect rule rsm.emulation-failed-ud
      expect note "D6"
      expect smm == 0
      expect l2 == 1
      expect stopped == 0
      expect cr4.SMEP == 0
      """)
}
