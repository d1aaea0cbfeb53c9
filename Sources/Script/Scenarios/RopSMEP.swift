extension Scenario {
  /// The attack the patch exists for, three times: no pinning, native only, paravirtual.
  static let ropSMEP = Scenario(
    id: "rop-smep",
    title: "A ROP chain clears SMEP: no pinning, native pinning only, paravirtual pinning",
    source: """
      #> An attacker has a kernel ROP chain and wants to run code it placed in user memory.
      #> SMEP, CR4 bit 20 (mask 0x100000), makes the kernel fault when it executes a user
      #> page, so the chain first clears SMEP. The classic write-ups show CR4 going from
      #> 0x1006f0 to 0x6f0; our guest has more features on, so it is 0x360ef0 to 0x260ef0.
      #> We run the attack three times and compare.
      #>
      #> Run 1: no pinning at all. KVM without the patch, no CPUID feature, and a guest
      #> kernel without native pinning (Linux before 5.3). Turning kvm-pin off drops the pins.
      option kvm-pin off
      option cpuid-pin off
      option native-pin off
      reboot
      boot
      expect ok
      expect pins.cr4_high == 0
      #> Path 1: the chain calls native_write_cr4(cr4 & ~SMEP), or jumps onto the mov inside it.
      kernel write cr4, cr4 & ~SMEP
      expect ok
      expect cr4.SMEP == 0
      #> Nothing stops it: SMEP is off and the payload in user memory can run.
      #>
      #> Run 2: native pinning only. Since 5.3 native_write_cr4() checks *after* its mov and
      #> puts pinned bits back.
      option native-pin on
      reboot
      boot
      expect ok
      expect pins.cr4_high == 0
      kernel write cr4, cr4 & ~SMEP
      expect ok
      expect cr4.SMEP == 1
      expect note "pinned CR4 bits changed: 0x100000!?"
      #> The write happened, then the check restored SMEP and warned once. Jumping straight
      #> onto the mov (what LKDTM's UNSET_SMEP test does) ends the same way: the check comes
      #> after the write. Now a HYPOTHETICAL gadget: a stray `mov cr4` not followed by the
      #> check (elsewhere in the kernel, or made by a JIT). We model it as a plain guest mov.
      mov cr4, cr4 & ~SMEP
      expect ok
      expect cr4.SMEP == 0
      #> Nothing checks after a stray mov: SMEP stays off. Native pinning only helps on the
      #> paths that run its check.
      #>
      #> Run 3: paravirtual pinning. KVM has the patch, CPUID offers it, and the guest pins
      #> WP, SMEP, SMAP and UMIP at boot.
      option kvm-pin on
      option cpuid-pin on
      reboot
      boot
      expect ok
      expect pins.cr4_high == SMEP | SMAP | UMIP
      kernel write cr4, cr4 & ~SMEP
      expect gp
      expect rule pin.cr4.high
      expect cr4 == 0x360ef0
      mov cr4, cr4 & ~SMEP
      expect gp
      expect rule pin.cr4.high
      expect cr4 == 0x360ef0
      #> KVM refuses the write itself, whichever path made it: #GP, CR4 unchanged. In the
      #> kernel that #GP is an oops, and the chain is dead.
      """)
}
