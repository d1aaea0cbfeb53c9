extension Scenario {
  /// The classic attack, written once for every mechanism (`crpin compare compare-rop`).
  static let compareROP = Scenario(
    id: "compare-rop",
    title: "The SMEP attack under every mechanism: run it with `crpin compare compare-rop`",
    source: """
      #> One script, an answer per mechanism. `crpin compare compare-rop` runs it on a guest
      #> booted under each mechanism and prints a column per mechanism; `crpin scenario
      #> compare-rop` runs it under kvm-2020 only. Each `expect[M]` line is checked only under the mechanisms it names.
      #> Sources: kvm-2020, patch 2/4 (Message-Id 20200617190757.27081-3-john.s.andersen@intel.com);
      #> kvm-rfc2, the draft's code quoted in Sean Christopherson's review (Message-ID
      #> 20200303213541.GY1439@linux.intel.com); heki, RFC v3 2/5 (Message-ID
      #> 20240503131910.307630-3-mic@digikod.net); vtl1, the Hyper-V TLFS "Virtual Secure Mode"
      #> chapter and LVBS's early VTL1 driver (mshv_vsm_lock_crs); native, Linux 5.3+
      #> native_write_cr4() in arch/x86/kernel/cpu/common.c.
      #>
      #> Step 1: a ROP chain reaches a raw `mov cr4` gadget with SMEP (bit 20, 0x100000) clear.
      #> Nothing in the guest checks after a raw mov; only a hypervisor can refuse it. kvm-2020
      #> and kvm-rfc2 refuse it in kvm_set_cr4, heki in the MOV-to-CR exit handler; VTL1 (LVBS's
      #> driver, CR4 mask 0xffffffff) skips the instruction: dropped, no fault.
      mov cr4, cr4 & ~SMEP
      expect[kvm-2020, kvm-rfc2, heki] gp
      expect[kvm-2020] rule pin.cr4.high
      expect[kvm-rfc2] rule rfc2.pin.cr4
      expect[heki] rule heki.cr4.locked
      expect[vtl1] dropped
      expect[native, none] ok
      expect[kvm-2020, kvm-rfc2, heki, vtl1] cr4.SMEP == 1
      expect[native, none] cr4.SMEP == 0
      #> Under native and none the gadget won. The VMM puts SMEP back (KVM_SET_SREGS, no checks)
      #> so step 2 starts from the same CR4 everywhere.
      host sregs cr4=cr4 | SMEP
      expect ok
      #> Step 2: the chain calls native_write_cr4(cr4 & ~SMEP) instead (or jumps onto its mov).
      #> Native pinning checks after its mov and puts SMEP back with a warning (Linux 5.3+).
      kernel write cr4, cr4 & ~SMEP
      expect[kvm-2020, kvm-rfc2, heki] gp
      expect[vtl1] dropped
      expect[native] ok
      expect[native] note "pinned CR4 bits changed: 0x100000!?"
      expect[none] ok
      expect[kvm-2020, kvm-rfc2, heki, vtl1, native] cr4.SMEP == 1
      expect[none] cr4.SMEP == 0
      #> Step 3: the payload in user memory (ret2usr). With SMEP on, the kernel takes #PF and
      #> oopses, `unable to execute userspace code (SMEP?)`; only `none` lets it run.
      exec user
      expect[kvm-2020, kvm-rfc2, heki, vtl1, native] pf
      expect[none] ok
      #> Step 4: the attacker controls L1 (a guest hypervisor) and writes the vmcs12 host CR4 it
      #> gets back when L2 exits. kvm-2020 forces the pinned bits on VM-exit (ok, forced); the
      #> draft does not force them [inference from the review]; Heki's check is not on the
      #> vmcs12 host-state load [inference from the diff].
      host sregs cr4=cr4 | SMEP
      vmcs12 host_cr4, cr4 & ~SMEP
      vmentry
      vmexit
      expect ok
      expect[kvm-2020] cr4.SMEP == 1
      expect[kvm-rfc2, heki, native, none] cr4.SMEP == 0
      #> Step 5: code in SMM edits the saved CR4 before RSM (SMEP back on first). kvm-2020's code
      #> makes RSM fail and the VM stops (D1: its commit message says SMRAM is fixed up); the draft
      #> rewrites KVM's copy of the save area and RSM succeeds with SMEP; Heki does not check RSM's
      #> restore [inference from the diff]; VTL1 does not see it.
      host sregs cr4=cr4 | SMEP
      smi
      smram cr4, smram.cr4 & ~SMEP
      rsm
      expect[kvm-2020] exit
      expect[kvm-2020] stopped == 1
      expect[kvm-rfc2] cr4.SMEP == 1
      expect[heki, vtl1, native, none] ok
      expect[heki, vtl1, native, none] cr4.SMEP == 0
      """)
}
