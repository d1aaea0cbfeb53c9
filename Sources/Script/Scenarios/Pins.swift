extension Scenario {
  /// How a guest pins its bits at boot.
  static let bootPins = Scenario(
    id: "boot-pins",
    title: "How a guest pins its bits at boot",
    source: """
      #> Start from a freshly reset vCPU: real mode, CR0 = 0x60000010, nothing pinned.
      reset
      expect ok
      expect cr0 == 0x60000010
      expect pins.cr4_high == 0
      #> Boot Linux. The guest kernel sees KVM_FEATURE_CR_PIN in CPUID (leaf 0x40000001, EAX
      #> bit 15), reads the two PIN_ALLOWED MSRs, and pins high the allowed bits it has set.
      boot
      expect ok
      expect cr4 == 0x360ef0
      expect pins.cr0_high == WP
      expect pins.cr4_high == SMEP | SMAP | UMIP
      #> The allowed MSRs: which bits may be pinned at all.
      rdmsr CR0_PIN_ALLOWED
      expect value == 0x10000
      rdmsr CR4_PIN_ALLOWED
      expect value == 0x300800
      #> The masks themselves are readable by the guest too, although the documentation calls
      #> them write-only (discrepancy D2).
      rdmsr CR4_PINNED_HIGH
      expect value == 0x300800
      expect note "D2"
      #> Writing the pinned-high MSRs again with the same bits is fine: nothing is removed.
      wrmsr CR0_PINNED_HIGH, WP
      expect ok
      wrmsr CR4_PINNED_HIGH, SMEP | SMAP | UMIP
      expect ok
      expect pins.cr4_high == 0x300800
      """)

  /// Pins are one-way for the guest.
  static let guestCannotUnpin = Scenario(
    id: "guest-cannot-unpin",
    title: "Pins are one-way for the guest",
    source: """
      #> The booted guest has pinned SMEP, SMAP and UMIP. Can a compromised guest kernel just
      #> write the MSR back to 0?
      wrmsr CR4_PINNED_HIGH, 0
      expect gp
      expect rule msr.pin-guest-shrink
      expect pins.cr4_high == 0x300800
      #> No: a guest write may not drop a pinned bit. Dropping only SMEP fails the same way.
      wrmsr CR4_PINNED_HIGH, pins.cr4_high & ~SMEP
      expect gp
      expect pins.cr4_high == 0x300800
      #> Adding a bit is allowed. Suppose the VMM had left the guest with only SMEP and SMAP
      #> pinned; the guest can add UMIP.
      host wrmsr CR4_PINNED_HIGH, SMEP | SMAP
      expect ok
      wrmsr CR4_PINNED_HIGH, pins.cr4_high | UMIP
      expect ok
      expect pins.cr4_high == SMEP | SMAP | UMIP
      """)

  /// The VMM is trusted and can change pins.
  static let hostCanUnpin = Scenario(
    id: "host-can-unpin",
    title: "The VMM is trusted and can change pins",
    source: """
      #> The VMM writes the same MSR through KVM_SET_MSRS. Host-initiated writes skip the
      #> one-way rule: the VMM is trusted.
      host wrmsr CR4_PINNED_HIGH, 0
      expect ok
      expect pins.cr4_high == 0
      #> With the pin gone, the guest can clear SMEP again.
      clear cr4.SMEP
      expect ok
      expect cr4.SMEP == 0
      """)

  /// What may be pinned.
  static let pinRules = Scenario(
    id: "pin-rules",
    title: "What may be pinned: the allowed masks and the opposite mask",
    source: """
      #> Only CR0.WP and CR4.SMEP, SMAP, UMIP may be pinned. PAE is not in the allowed mask.
      wrmsr CR4_PINNED_HIGH, pins.cr4_high | PAE
      expect gp
      expect rule msr.pin-not-allowed
      #> A bit cannot be pinned both ways: SMEP is pinned high, so pinning it low fails, for the
      #> guest (#GP) and for the VMM (its ioctl is refused).
      wrmsr CR4_PINNED_LOW, SMEP
      expect gp
      expect rule msr.pin-opposite
      host wrmsr CR4_PINNED_LOW, SMEP
      expect rejected
      expect rule msr.pin-opposite
      expect pins.cr4_low == 0
      #> The PIN_ALLOWED MSRs accept a write only of their own value, so a VMM can restore its
      #> MSR list verbatim after migration. Any other value fails.
      wrmsr CR4_PIN_ALLOWED, 0x300800
      expect ok
      host wrmsr CR4_PIN_ALLOWED, 0x300800
      expect ok
      wrmsr CR4_PIN_ALLOWED, SMEP
      expect gp
      expect rule msr.pin-allowed-read-only
      """)
}
