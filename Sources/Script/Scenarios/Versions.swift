/// Scenarios on the version axis: what Linux's native pinning does per kernel, and what later
/// KVM versions change for a guest CR write (facts: docs/versions.md).
extension Scenario {
  /// 5.7's pin-to-1, 5.8's pin to 0, 5.9's FSGSBASE pinned to 1.
  static let kernelVersions = Scenario(
    id: "kernel-versions",
    title: "Native pinning per kernel: 5.7 pins to 1 only, 5.8 pins FSGSBASE to 0, 5.9 to 1",
    source: """
      #> Linux's own CR4 pinning changed twice in a year (docs/versions.md). Only the kernel's
      #> check acts here: the design is `native`, so KVM pins nothing.
      option mechanism native
      #> Linux 5.3 to 5.7 (873d50d58f67 "x86/asm: Pin sensitive CR4 bits", Kees Cook, series
      #> Message-ID 20190618045503.39105-3-keescook@chromium.org) capture SMEP, SMAP and UMIP
      #> from the boot CR4 and pin them to 1 only: a cleared bit is set again, with the
      #> warning `CR4 bits went missing: %lx!?` (no 0x). `option kernel` reboots into it.
      option kernel 5.7
      expect ok
      expect cr4.FSGSBASE == 0
      kernel write cr4, cr4 & ~SMEP
      expect ok
      expect cr4.SMEP == 1
      expect note "CR4 bits went missing: 100000!?"
      #> Pinning to 1 only cannot hold a bit at 0: setting FSGSBASE stands on 5.7. (5.7.y
      #> stable releases that carry the 5.8 fix behave as 5.8.)
      kernel write cr4, cr4 | FSGSBASE
      expect ok
      expect cr4.FSGSBASE == 1
      #> Linux 5.8 (a13b9d0b9721 "x86/cpu: Use pinning mask for CR4 bits needing to be 0",
      #> tip-bot Message-ID 159247356012.16989.5410463148243669489.tip-bot2@tip-bot2) pins
      #> SMEP, SMAP, UMIP and FSGSBASE to their boot values, 0 included. A 5.8 boot leaves
      #> FSGSBASE clear, so it is pinned to 0.
      option kernel 5.8
      kernel write cr4, cr4 | FSGSBASE
      expect ok
      expect cr4.FSGSBASE == 0
      expect note "pinned CR4 bits changed: 0x10000!?"
      #> Linux 5.9 (b745cfba44c1 "x86/cpu: Enable FSGSBASE on 64bit by default and add a
      #> chicken bit", Andy Lutomirski) sets FSGSBASE at boot: the same mask now pins it to 1.
      option kernel 5.9
      expect cr4.FSGSBASE == 1
      kernel write cr4, cr4 & ~FSGSBASE
      expect ok
      expect cr4.FSGSBASE == 1
      expect note "pinned CR4 bits changed: 0x10000!?"
      """)

  /// A WP pin in `kvm_set_cr0` that KVM 6.4+ with EPT never consults.
  static let wpOwned64 = Scenario(
    id: "wp-owned-6.4",
    title: "A hypervisor pin on WP that KVM 6.4+ with EPT never sees",
    source: """
      #> The 2020 patch checks its pins in kvm_set_cr0, which runs only when a CR0 write exits
      #> to KVM. On KVM 5.8, the patch's base, a gadget clearing the pinned WP is refused.
      clear cr0.WP
      expect gp
      expect rule pin.cr0.high
      #> KVM 6.4 made CR0.WP a guest-owned bit on VMX with EPT (fb509f76acc8 "KVM: VMX: Make
      #> CR0.WP a guest owned bit", Mathias Krause; kvm-x86-misc-6.4 pull Message-ID
      #> 20230424173529.2648601-2-seanjc@google.com): "toggling CR0.WP won't generate a
      #> VMEXIT". `option kvm 6.4` is a what-if on the same VM, the patch as if rebased.
      option kvm 6.4
      expect note "as if the patch were rebased onto KVM 6.4"
      clear cr0.WP
      expect ok
      expect cr0.WP == 0
      expect note "never exits to KVM"
      #> The pin is still in the MSR; it is simply never consulted for a WP-only write.
      expect pins.cr0_high == 0x10000
      #> A write that also changes a bit KVM intercepts exits, and then the pin check sees
      #> WP clear: a pin on WP holds only if KVM takes WP back from the guest while it is
      #> pinned [inference, docs/versions.md]. Heki's handle_cr check misses it the same way.
      mov cr0, cr0 & ~AM
      expect gp
      expect rule pin.cr0.high
      """)

  /// CET and WP on KVM 6.18.
  static let cetWP618 = Scenario(
    id: "cet-wp-6.18",
    title: "CET and WP on KVM 6.18: each refuses the other's removal",
    source: """
      #> Shadow stacks rely on supervisor write protection. KVM 6.18 virtualises CET
      #> (kvm-x86-cet-6.18 pull, Message-ID 20250927060910.2933942-10-seanjc@google.com): CR4.CET
      #> is a known bit when the guest's CPUID has SHSTK or IBT. On KVM 5.8 it is unknown, so
      #> setting it is #GP even with CET in CPUID.
      host cpuid +cet
      set cr4.CET
      expect gp
      expect rule cr4.reserved
      option kvm 6.18
      set cr4.CET
      expect ok
      #> "Add fault checks for guest CR4.CET" (Message-ID
      #> 20250821133132.72322-7-chao.gao@intel.com): clearing WP while CET is set is #GP. WP is
      #> guest-owned here, so the write does not exit: the CPU itself refuses it (Intel SDM).
      clear cr0.WP
      expect gp
      expect rule cr0.wp-clear-with-cet
      #> 6.18 also lets the guest own CR4.CET: clearing it never exits.
      clear cr4.CET
      expect ok
      expect note "never exits to KVM"
      #> Without CET, WP can go (the kvm-2020 pin on WP is not consulted on 6.4+), and then
      #> setting CET while WP is clear is #GP.
      clear cr0.WP
      expect ok
      set cr4.CET
      expect gp
      expect rule cr4.cet-without-wp
      #> A 5.18+ guest kernel sets CET at boot and pins it natively (991625f3dd2c "x86/ibt: Add
      #> IBT feature, MSR and #CP handling"): reboot into Linux 6.9 and try to drop it.
      option kernel 6.9
      expect cr4.CET == 1
      kernel write cr4, cr4 & ~CET
      expect ok
      expect cr4.CET == 1
      expect note "pinned CR4 bits changed: 0x800000!?"
      """)
}
