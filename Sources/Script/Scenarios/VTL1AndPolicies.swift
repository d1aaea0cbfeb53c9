extension Scenario {
  /// VTL1 drops VTL0's intercepted CR writes.
  static let vtl1Drop = Scenario(
    id: "vtl1-drop",
    title: "vtl1: VTL1 intercepts VTL0's CR4 writes and drops them; gp and allow are what-ifs",
    source: """
      #> Hyper-V Virtual Secure Mode (the TLFS "Virtual Secure Mode" chapter): a more privileged
      #> kernel in the same VM, VTL1, asks the hypervisor to intercept VTL0's CR writes. LVBS's
      #> early VTL1 driver (VSM_VTL_CALL_FUNC_ID_LOCK_CR, mshv_vsm_lock_crs()) sets the CR4 mask to
      #> 0xffffffff and, on every intercept, skips the instruction. CR0 is not intercepted.
      option mechanism vtl1
      boot
      expect ok
      #> A ROP chain's mov clearing SMEP (bit 20, 0x100000): dropped silently, no fault.
      clear cr4.SMEP
      expect dropped
      expect rule vtl1.intercept
      expect cr4.SMEP == 1
      #> The kernel's own path too; the kernel runs on with the old CR4.
      kernel write cr4, cr4 & ~SMEP
      expect dropped
      expect cr4.SMEP == 1
      #> With mask 0xffffffff, setting a bit is dropped as well (PKE, bit 22), while a write that
      #> changes nothing is not intercepted.
      set cr4.PKE
      expect dropped
      mov cr4, cr4
      expect ok
      #> CR0 is not intercepted by that driver: a raw mov clears WP (bit 16, 0x10000).
      clear cr0.WP
      expect ok
      expect cr0.WP == 0
      #> VTL1 could intercept CR0 too (vtl1 intercept cr0, WP); the write is then dropped.
      set cr0.WP
      vtl1 intercept cr0, WP
      clear cr0.WP
      expect dropped
      #> Other policies are possible for a VTL1 but in neither source [inference]: inject #GP,
      #> or allow the write and log it. crpin offers them as what-ifs.
      vtl1 policy gp
      expect note "what-if"
      clear cr4.SMEP
      expect gp
      vtl1 policy allow
      clear cr4.SMEP
      expect ok
      expect cr4.SMEP == 0
      """)

  /// kvm-2020 clears the pins on INIT; the review's policy would keep them.
  static let initPolicy = Scenario(
    id: "init-policy",
    title: "INIT clears the pins (kvm-2020) or keeps them (the review's policy): bring-up faults",
    source: """
      #> kvm-2020 (patch 2/4, Message-Id 20200617190757.27081-3-john.s.andersen@intel.com) clears
      #> the pins on reset and INIT, because CPU hotplug and hibernation INIT the secondary CPUs,
      #> whose real-mode bring-up writes CR0 without WP. Two booted, pinned vCPUs.
      vcpus 2
      vcpu 1
      expect pins.cr0_high == WP
      #> CPU hotplug: INIT, then the bring-up path.
      reset
      expect pins.cr0_high == 0
      boot
      expect ok
      expect pins.cr4_high == SMEP | SMAP | UMIP
      #> Paolo Bonzini argued in review (Dec 2019) that INIT should keep the pins, as real
      #> hardware keeps MSRs across INIT and userspace resets them on a real reset. With that
      #> policy the same bring-up fails at its first CR0 write (WP, bit 16, 0x10000, clear).
      option init-keeps-pins on
      reset
      expect pins.cr0_high == WP
      boot
      expect gp
      expect rule pin.cr0.high
      #> Only a reboot clears them under that policy (the VMM zeroes the MSRs).
      reboot
      expect pins.cr0_high == 0
      boot
      expect ok
      """)

  /// Later KVM lets the guest own CR0.WP: a write that changes only WP never reaches KVM.
  static let wpGuestOwned = Scenario(
    id: "wp-guest-owned",
    title: "wp-guest-owned: with EPT, Linux 6.4+ KVM never sees a write that changes only WP",
    source: """
      #> docs/mechanisms.md, "Later KVM fact": since Linux 6.4, with EPT, KVM lets the guest own
      #> CR0.WP (bit 16, 0x10000), so a mov cr0 that changes only WP (and other guest-owned bits)
      #> does not exit to KVM at all. kvm-2020 (patch 2/4, Message-Id
      #> 20200617190757.27081-3-john.s.andersen@intel.com) pins WP; on such a KVM the pin would
      #> have to take WP back from the guest [inference]. First, the 5.8 KVM the patch targets:
      clear cr0.WP
      expect gp
      expect rule pin.cr0.high
      #> Now the later KVM: the write changing only WP never reaches the pin check [inference].
      option wp-guest-owned on
      clear cr0.WP
      expect ok
      expect cr0.WP == 0
      expect note "[inference]"
      #> A write that also changes AM (bit 18), which KVM still owns, exits and is checked.
      set cr0.WP
      mov cr0, cr0 & ~(WP | AM)
      expect gp
      expect rule pin.cr0.high
      #> Heki's WP lock (RFC v3 2/5, Message-ID 20240503131910.307630-3-mic@digikod.net) has the
      #> same gap [inference]: its check runs on the MOV-to-CR exit that never happens.
      option mechanism heki
      boot
      expect pins.cr0_high == WP
      clear cr0.WP
      expect ok
      expect cr0.WP == 0
      """)
}
