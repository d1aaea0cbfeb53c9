extension Scenario {
  /// Heki's checks run on instruction exits in every mode, not on RSM's restore.
  static let hekiSMMGap = Scenario(
    id: "heki-smm-gap",
    title: "heki: no SMM exemption for mov, but RSM's restore is not checked",
    source: """
      #> Heki, RFC v3 2/5 "KVM: x86: Add new hypercall to lock control registers", Message-ID
      #> 20240503131910.307630-3-mic@digikod.net. A guest booted under it locks CR0.WP and CR4
      #> SMEP, SMAP, UMIP through KVM_HC_LOCK_CR_UPDATE (hypercall 13).
      option mechanism heki
      boot
      expect ok
      expect pins.cr0_high == WP
      expect pins.cr4_high == SMEP | SMAP | UMIP
      #> The lock check runs on MOV-to-CR exits (handle_cr) and in the emulator, before KVM's own
      #> checks and in every CPU mode: no SMM exemption. In SMM CR0.WP (bit 16, 0x10000) still
      #> cannot be cleared.
      smi
      expect ok
      clear cr0.WP
      expect gp
      expect rule heki.cr0.locked
      #> But the check is not in kvm_set_cr0/4, so RSM's restore from SMRAM is not checked
      #> [inference from the diff]: a handler that clears SMEP (bit 20, 0x100000) in the saved
      #> CR4 drops it without a fault.
      smram cr4, smram.cr4 & ~SMEP
      rsm
      expect ok
      expect cr4.SMEP == 0
      #> The lock itself is still there: the next write that leaves SMEP clear is refused.
      expect pins.cr4_high == SMEP | SMAP | UMIP
      mov cr4, cr4
      expect gp
      expect rule heki.cr4.locked
      """)

  /// Heki's locks are per VM, OR-only and never cleared.
  static let hekiPerVM = Scenario(
    id: "heki-per-vm",
    title: "heki: a lock taken on one vCPU binds all, survives INIT, and CPU bring-up faults",
    source: """
      #> Heki RFC v3 2/5 (Message-ID 20240503131910.307630-3-mic@digikod.net): the masks are per
      #> VM, OR-only, pin to 1 only, never unpinned — not by the VMM either. Two vCPUs, then the
      #> switch: every pin is cleared.
      vcpus 2
      option mechanism heki
      expect pins.cr4_high == 0
      #> The ABI version: flags KVM_LOCK_CR_UPDATE_VERSION (1) with a0 = a1 = 0 returns 1 in RAX.
      hypercall lock_cr cr0, 0, 1
      expect ok
      expect value == 1
      #> Errors come back in RAX (-KVM_EINVAL, -22), not as faults: here, pinning no bits.
      hypercall lock_cr cr4, 0
      expect ok
      expect value == 0xffffffffffffffea
      expect rule heki.hypercall-einval
      #> vCPU 0 locks SMEP (bit 20, 0x100000) and SMAP (bit 21, 0x200000).
      hypercall lock_cr cr4, SMEP | SMAP
      expect value == 0
      #> vCPU 1 never asked, yet it is bound too: the lock is per VM.
      vcpu 1
      expect pins.cr4_high == SMEP | SMAP
      clear cr4.SMEP
      expect gp
      expect rule heki.cr4.locked
      #> INIT (CPU hotplug, hibernation) does not clear the locks [inference from the diff: no
      #> code clears the per-VM fields; the cover letter, 20240503131910.307630-1-mic@digikod.net,
      #> says reboot, kexec and hibernate are not handled yet]. vCPU 1's bring-up is fine for CR0
      #> (WP is not locked) but its first CR4 write without SMEP takes #GP.
      reset
      expect pins.cr4_high == SMEP | SMAP
      boot
      expect gp
      expect rule heki.cr4.locked
      #> Outside 64-bit mode KVM truncates the hypercall's return to 32 bits: -22 reads 0xffffffea.
      hypercall lock_cr 9, 1
      expect value == 0xffffffea
      """)
}
