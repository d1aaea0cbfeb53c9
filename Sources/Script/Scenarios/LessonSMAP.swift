extension Scenario {
  /// The SMAP lesson: a user-pointer read faults, `stac` opens the window, and the same pinning
  /// contrast as the SMEP lesson for CR4.SMAP.
  static let lessonSMAP = Scenario(
    id: "lesson-smap",
    title: "Lesson: SMAP, stac/clac and EFLAGS.AC, native vs paravirtual pinning",
    source: """
      #> The SMAP lesson, after SMEP and KPTI in the usual order (lkmidas "Learning Linux Kernel
      #> Exploitation", ptr-yudai's pawnyable, ir0nstone's pwn-notes, pwn.college's kernel
      #> module). SMAP is CR4 bit 21, mask 0x200000: the kernel may not read or write a user page
      #> unless EFLAGS.AC (bit 18, mask 0x40000) is set. `stac` sets AC, `clac` clears it; the
      #> kernel brackets its deliberate user accesses (copy_from_user) with them.
      #>
      #> 1. No SMAP (QEMU without `+smap`; the VMM loads CR4 without it, no pinning of any kind):
      #> the kernel dereferences a pointer the attacker placed in user memory, e.g. a fake
      #> structure or a stack for a ROP chain.
      option mechanism none
      boot
      host sregs cr4=cr4 & ~SMAP
      expect ok
      expect cr4.SMAP == 0
      access user
      expect ok
      #> 2. SMAP on, a Linux 5.8 guest with native pinning only (KVM without the patch). The same
      #> read is a #PF and an oops.
      option mechanism native
      boot
      expect ok
      expect cr4.SMAP == 1
      access user
      expect pf
      expect rule smap.access-user
      expect note "supervisor read access in user mode"
      #> 3. The SMAP gadget: a chain that reaches `stac` sets EFLAGS.AC (bit 18, 0x40000), and
      #> the kernel may touch user pages until the next `clac`. SMAP itself stays on.
      stac
      expect ok
      access user
      expect ok
      expect cr4.SMAP == 1
      clac
      expect ok
      access user
      expect pf
      #> 4. Or clear SMAP itself: native_write_cr4(cr4 & ~SMAP), 0x360ef0 to 0x160ef0. As for
      #> SMEP, the kernel's check runs after its mov, puts bit 21 (0x200000) back and warns once.
      #> Jumping onto the inner mov (LKDTM UNSET_SMEP style) ends the same way.
      kernel write cr4, cr4 & ~SMAP
      expect ok
      expect cr4.SMAP == 1
      expect note "pinned CR4 bits changed: 0x200000!?"
      #> 5. HYPOTHETICAL: a `mov cr4` gadget not followed by the check (none is claimed to exist
      #> in Linux 5.8). Under native pinning only, SMAP stays off and user pointers work
      #> without `stac`.
      mov cr4, cr4 & ~SMAP
      expect ok
      expect cr4.SMAP == 0
      access user
      expect ok
      #> 6. Paravirtual pinning (kvm-2020): the guest pins SMEP|SMAP|UMIP (0x300800) at boot and
      #> KVM refuses any CR4 write that clears bit 21, whichever path made it: #GP.
      option mechanism kvm-2020
      boot
      expect ok
      expect pins.cr4_high == SMEP | SMAP | UMIP
      mov cr4, cr4 & ~SMAP
      expect gp
      expect rule pin.cr4.high
      expect cr4.SMAP == 1
      kernel write cr4, cr4 & ~SMAP
      expect gp
      access user
      expect pf
      #> Pinning guards the CR4 bit, not EFLAGS: AC is not a control register, and no pinning
      #> mechanism covers it. A `stac` gadget still opens the window under every mechanism.
      stac
      expect ok
      access user
      expect ok
      """)
}
