extension Scenario {
  /// CR0.WP is pinned too.
  static let wpPinned = Scenario(
    id: "wp-pinned",
    title: "CR0.WP: pinned by KVM, and by the guest kernel's native_write_cr0",
    source: """
      #> CR0.WP (bit 16, 0x10000) makes the kernel honour read-only pages. With it off, an
      #> exploit can patch kernel text or credentials directly. A stray mov clearing it:
      clear cr0.WP
      expect gp
      expect rule pin.cr0.high
      expect cr0.WP == 1
      #> Through the kernel's native_write_cr0() it is the same: KVM refuses the mov before the
      #> kernel's own check ever runs.
      kernel write cr0, cr0 & ~WP
      expect gp
      expect cr0.WP == 1
      #> Now without the patch in KVM (native pinning only): native_write_cr0() lets the write
      #> happen, then puts WP back and warns.
      option kvm-pin off
      kernel write cr0, cr0 & ~WP
      expect ok
      expect cr0.WP == 1
      expect note "CR0 WP bit went missing!?"
      #> A hypothetical check-free gadget still wins without the paravirtual pin.
      clear cr0.WP
      expect ok
      expect cr0.WP == 0
      """)

  /// Linux 5.8's native pinning holds bits at their boot value, 0 included (a13b9d0b9721).
  static let nativePinZero = Scenario(
    id: "native-pin-zero",
    title: "FSGSBASE pinned to 0: Linux 5.8's native pinning holds bits at their boot value",
    source: """
      #> Linux 5.8's native pinning (a13b9d0b9721, June 2020) holds SMEP, SMAP, UMIP and
      #> FSGSBASE at the values they had at boot, 1 or 0. A 5.8 boot leaves FSGSBASE (bit 16,
      #> 0x10000) clear, so the kernel pins it to 0. KVM's pins do not cover FSGSBASE (it is not
      #> in the allowed mask), so KVM lets the write through; native_write_cr4() clears the bit
      #> again and warns.
      kernel write cr4, cr4 | FSGSBASE
      expect ok
      expect cr4.FSGSBASE == 0
      expect note "pinned CR4 bits changed: 0x10000!?"
      #> The same mask pins SMEP to 1. Without the patch in KVM, clearing SMEP and setting
      #> FSGSBASE in one write: the kernel puts both back (its WARN_ONCE prints only the
      #> first time; crpin notes every correction).
      option kvm-pin off
      kernel write cr4, (cr4 & ~SMEP) | FSGSBASE
      expect ok
      expect cr4.SMEP == 1
      expect cr4.FSGSBASE == 0
      #> The check runs only on the kernel's own path: a ROP gadget's raw mov sets FSGSBASE
      #> and it stays. (5.3 to 5.7 pinned to 1 only, so the first write would have stood; from
      #> 5.9 the boot sets FSGSBASE, so it is pinned to 1.)
      mov cr4, cr4 | FSGSBASE
      expect ok
      expect cr4.FSGSBASE == 1
      """)

  /// SMM is outside the pins.
  static let smmFree = Scenario(
    id: "smm-free",
    title: "SMM is outside the pins",
    source: """
      #> A system-management interrupt. KVM saves CR0, CR3, CR4 and EFER in the SMRAM
      #> state-save image, then enters SMM: CR4 becomes 0, so SMEP, SMAP and UMIP are off,
      #> but CR0 keeps WP. (The commit message says SMM entry "disables pinned bits": D3.)
      smi
      expect ok
      expect smm == 1
      expect cr4 == 0
      expect cr0.WP == 1
      expect smram.cr4 == 0x360ef0
      #> Inside SMM, CR writes get the architectural checks but no pin check.
      mov cr4, OSFXSR | OSXMMEXCPT
      expect ok
      expect cr4.SMEP == 0
      #> RSM with the image untouched restores the saved values through checked writes.
      rsm
      expect ok
      expect smm == 0
      expect cr4 == 0x360ef0
      #> Out of SMM the pins apply again.
      clear cr4.SMEP
      expect gp
      expect rule pin.cr4.high
      """)

  /// An SMM handler edits the saved CR4.
  static let smmTamper = Scenario(
    id: "smm-tamper",
    title: "Tampering with the saved CR4 in SMRAM stops the VM",
    source: """
      #> An SMM handler (or an attacker who owns SMM) edits the saved CR4 in the state-save
      #> image to drop SMEP, hoping RSM brings the kernel back without it.
      smi
      expect ok
      smram cr4, smram.cr4 & ~SMEP
      expect ok
      expect smram.cr4 == 0x260ef0
      #> RSM restores CR4 through a checked write, outside SMM: the pin check fails, the RSM
      #> emulation fails, and KVM exits to the VMM with an internal error. The commit message
      #> claims SMRAM is fixed up instead; the code fails the RSM (D1).
      rsm
      expect exit
      expect rule pin.cr4.high
      expect rule rsm.emulation-failed-exit
      expect note "D1"
      expect stopped == 1
      #> The VM is stopped: the guest runs nothing until reset, boot or reboot.
      mov cr4, 0x360ef0
      expect stopped
      boot
      expect ok
      expect stopped == 0
      expect cr4 == 0x360ef0
      """)
}
