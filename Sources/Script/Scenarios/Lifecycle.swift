extension Scenario {
  /// Why reset clears pins.
  static let hibernate = Scenario(
    id: "hibernate",
    title: "Why a vCPU reset clears its pins (hotplug, hibernation)",
    source: """
      #> Two vCPUs, both booted and pinned.
      vcpus 2
      expect pins.cr4_high == 0x300800
      vcpu 1
      expect pins.cr4_high == 0x300800
      #> Hibernation (or CPU hotplug) resets vCPU 1 with INIT. KVM clears its pins.
      reset
      expect ok
      expect pins.cr0_high == 0
      expect pins.cr4_high == 0
      expect cr0 == 0x60000010
      vcpu 0
      expect pins.cr4_high == 0x300800
      #> vCPU 0 keeps its pins. vCPU 1 comes up again through real-mode start-up code, whose
      #> first writes lack WP and SMEP. Without the reset they would take #GP.
      vcpu 1
      mov cr0, PE | ET | NW | CD
      expect ok
      mov cr4, PAE
      expect ok
      #> Its start-up finishes and it pins again, as every CPU does when it comes up.
      boot
      expect ok
      expect pins.cr0_high == WP
      expect pins.cr4_high == 0x300800
      """)

  /// The VMM's duty on reboot.
  static let rebootStale = Scenario(
    id: "reboot-stale",
    title: "On reboot the VMM must zero the pin MSRs",
    source: """
      #> A VMM that restores the old pin MSRs after a reboot (instead of zeroing them):
      reboot keep-pins
      expect ok
      expect cr0 == 0x60000010
      expect pins.cr0_high == WP
      expect pins.cr4_high == 0x300800
      #> The boot's first CR0 write turns on protected mode only: no WP. The stale pin refuses it.
      boot
      expect gp
      expect rule pin.cr0.high
      #> The guest cannot boot. A VMM that zeroes the MSRs, as the patch requires:
      reboot
      expect ok
      expect pins.cr4_high == 0
      boot
      expect ok
      expect pins.cr4_high == 0x300800
      """)

  /// The VMM's duty on migration.
  static let migration = Scenario(
    id: "migration",
    title: "On migration the VMM must carry the pin MSRs over",
    source: """
      #> The VM moves to a new host, registers intact, but the VMM forgets the pin MSRs.
      migrate drop-pins
      expect ok
      expect pins.cr4_high == 0
      expect cr4.SMEP == 1
      #> Everything looks the same. Then an attacker's gadget (a raw mov, the check-free path)
      #> clears SMEP, and nothing refuses it: the protection is silently gone.
      mov cr4, cr4 & ~SMEP
      expect ok
      expect cr4.SMEP == 0
      #> Again, from a fresh boot, with a VMM that migrates the pin MSRs:
      reboot
      boot
      expect ok
      migrate
      expect ok
      expect pins.cr4_high == 0x300800
      mov cr4, cr4 & ~SMEP
      expect gp
      expect rule pin.cr4.high
      """)

  /// The MSRs work whatever CPUID says (D4).
  static let hiddenFeature = Scenario(
    id: "hidden-feature",
    title: "The pin MSRs work even when the VMM hides the CPUID bit (D4)",
    source: """
      #> The VMM hides KVM_FEATURE_CR_PIN from CPUID. The guest boots and, not seeing the
      #> feature, does not pin.
      option cpuid-pin off
      reboot
      boot
      expect ok
      expect note "CPUID does not show"
      expect pins.cr4_high == 0
      #> But KVM does not gate the MSRs on the CPUID bit: a guest that writes them anyway
      #> gets its pins (discrepancy D4).
      wrmsr CR4_PINNED_HIGH, SMEP
      expect ok
      expect note "D4"
      expect pins.cr4_high == SMEP
      #> On a KVM without the patch, the same MSR is unknown: #GP.
      option kvm-pin off
      wrmsr CR4_PINNED_HIGH, SMEP
      expect gp
      expect rule msr.unknown
      """)

  /// Why the guest patch disables kexec.
  static let kexec = Scenario(
    id: "kexec",
    title: "Why the guest side of the series disables kexec",
    source: """
      #> kexec jumps into a new kernel without a reset, so the pins stay. relocate_kernel first
      #> puts CR0 in a known state, with WP cleared, then sets CR4 to PAE only; then the new
      #> kernel's early boot writes known-good values without the protected bits. (The
      #> reference text says the CR4 write fails; in the code the CR0 write, clearing WP,
      #> comes first and fails first.)
      kexec
      expect gp
      expect rule pin.cr0.high
      expect note "disables kexec"
      expect cr0 == 0x80050033
      #> The new kernel dies before it starts. That is why a guest that pins turns kexec off.
      #> Had the pins been cleared (here by the VMM), kexec would go through, and the new
      #> kernel pins again as it boots.
      host wrmsr CR0_PINNED_HIGH, 0
      host wrmsr CR4_PINNED_HIGH, 0
      kexec
      expect ok
      expect pins.cr4_high == 0x300800
      """)
}
