extension Scenario {
  /// The SMEP lesson in the order courses teach it, then the step no course shows: a gadget the
  /// kernel's check never sees beats native pinning but not paravirtual pinning.
  static let lessonSMEP = Scenario(
    id: "lesson-smep",
    title: "Lesson: ret2usr, SMEP, the ROP chain that clears it, native vs paravirtual pinning",
    source: """
      #> The SMEP lesson as courses teach it: lkmidas "Learning Linux Kernel Exploitation" part 2,
      #> ptr-yudai's pawnyable LK01, ir0nstone's pwn-notes "Kernel ROP - Disabling SMEP" and
      #> pwn.college's kernel module, in that order; then what none of them shows. SMEP is CR4
      #> bit 20 counting from 0, mask 0x100000 (some write-ups say "the 21st bit": same bit).
      #>
      #> 1. ret2usr with no mitigations. QEMU without `+smep`: the guest never turns SMEP on. We
      #> model that as the VMM loading CR4 without SMEP (KVM_SET_SREGS) on a guest with no
      #> pinning of any kind. The exploit makes the kernel jump to code in a user page.
      option mechanism none
      boot
      host sregs cr4=cr4 & ~SMEP
      expect ok
      expect cr4.SMEP == 0
      exec user
      expect ok
      expect note "runs the attacker's code"
      #> The kernel ran the user page: the attacker's payload runs with kernel privileges.
      #>
      #> 2. Turn SMEP on (QEMU `-cpu ...,+smep`) and boot a Linux 5.8 guest on a KVM without the
      #> paravirtual patch: mechanism `native`, the kernel's own pinning only (Linux 5.3+). The
      #> same exploit now oopses, and the oops prints the CR4 line the next step starts from.
      option mechanism native
      boot
      expect ok
      expect cr4.SMEP == 1
      expect cr4 == 0x360ef0
      exec user
      expect pf
      expect rule smep.exec-user
      expect note "unable to execute userspace code (SMEP?)"
      #> 3. Kernel ROP: take the CR4 value from the oops, clear bit 20 (mask 0x100000) and pass
      #> it to native_write_cr4() through a `pop rdi; ret` gadget. The write-ups' CPU shows
      #> CR4 0x1006f0, so they pass 0x6f0; our guest has more features on (UMIP, SMAP, PCIDE,
      #> OSXSAVE), so the same edit is 0x360ef0 to 0x260ef0: cr4 & ~SMEP.
      kernel write cr4, cr4 & ~SMEP
      expect ok
      expect cr4.SMEP == 1
      expect cr4 == 0x360ef0
      expect note "pinned CR4 bits changed: 0x100000!?"
      #> 4. It "fails" without failing: no fault, no panic (some write-ups wrongly say the
      #> kernel panics), and SMEP is still on. native_write_cr4() (arch/x86/kernel/cpu/common.c)
      #> executed the mov and *then* checked: SMEP was pinned, so it wrote bit 20 (0x100000)
      #> back and warned once. That kernel-log line is the only clue; the trace's `layer:` line
      #> names who undid the write. The ret2usr that follows still oopses.
      exec user
      expect pf
      #> 5. Jump straight onto the `mov %rdi,%cr4` inside native_write_cr4(), skipping its start.
      #> Linux's own LKDTM test UNSET_SMEP (drivers/misc/lkdtm/bugs.c) does exactly this to test
      #> "the post-write pinning verification". The check comes *after* the mov, so it still
      #> runs: crpin models this path with the same `kernel write`, and it ends the same way.
      kernel write cr4, cr4 & ~SMEP
      expect ok
      expect cr4.SMEP == 1
      expect note "pinned CR4 bits changed: 0x100000!?"
      #> 6. HYPOTHETICAL: a CR4-writing gadget that is not followed by the check (a stray
      #> `mov cr4` elsewhere in the kernel, or one a JIT made). No such gadget is claimed to
      #> exist in Linux 5.8; crpin models it as a plain guest `mov cr4`. Nothing checks after
      #> it, so under native pinning only, SMEP (bit 20, 0x100000) stays off.
      mov cr4, cr4 & ~SMEP
      expect ok
      expect cr4.SMEP == 0
      expect cr4 == 0x260ef0
      exec user
      expect ok
      #> ret2usr works again. Native pinning only guards the paths that run its check.
      #>
      #> 7. Paravirtual pinning: KVM with the June 2020 patch (kvm-2020). At boot the guest pins
      #> WP and SMEP|SMAP|UMIP (0x300800) high through MSR_KVM_CR4_PINNED_HIGH (0x4b564d0d).
      option mechanism kvm-2020
      boot
      expect ok
      expect pins.cr4_high == SMEP | SMAP | UMIP
      #> The same hypothetical gadget: KVM refuses the write itself in kvm_set_cr4, whichever
      #> code path made it. #GP (a kernel oops): CR4 never changes.
      mov cr4, cr4 & ~SMEP
      expect gp
      expect rule pin.cr4.high
      expect cr4.SMEP == 1
      expect cr4 == 0x360ef0
      #> And the kernel's own path: the hypervisor refuses the mov inside native_write_cr4() before
      #> the kernel's check ever runs (layer kvm-2020: #GP).
      kernel write cr4, cr4 & ~SMEP
      expect gp
      expect rule pin.cr4.high
      exec user
      expect pf
      #> SMEP stays on whatever the chain does in the guest. Next: `crpin scenario lesson-smap`.
      """)
}
