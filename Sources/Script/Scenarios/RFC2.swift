extension Scenario {
  /// The draft holds every allowed bit at its value in the mask.
  static let rfc2PinToValue = Scenario(
    id: "rfc2-pin-to-value",
    title: "kvm-rfc2: pinning SMEP alone forbids setting SMAP later (pin to value)",
    source: """
      #> The February 2020 draft (RFC v2 2/4 "KVM: X86: Add CR pin MSRs"), as its code is quoted
      #> in Sean Christopherson's review, Message-ID 20200303213541.GY1439@linux.intel.com. Its
      #> MSRs: CR0_PIN_ALLOWED 0x4b564d06, CR4_PIN_ALLOWED 0x4b564d07, CR0_PINNED 0x4b564d08,
      #> CR4_PINNED 0x4b564d09. We switch to it; switching clears every pin.
      option mechanism kvm-rfc2
      expect pins.cr4_high == 0
      #> A kernel that has turned on SMEP (bit 20, 0x100000) but not yet SMAP (bit 21, 0x200000)
      #> or UMIP (bit 11, 0x800) — setup_smep runs before setup_smap. Nothing is pinned, so
      #> clearing them is allowed.
      mov cr4, cr4 & ~(SMAP | UMIP)
      expect ok
      #> It pins SMEP alone. A guest write ORs into the mask (the review's quote of the code).
      wrmsr CR4_PINNED, SMEP
      expect ok
      expect pins.cr4_high == SMEP
      #> The check is `(new ^ pinned) & allowed`, once the mask is non-zero: every allowed bit is
      #> held at its value in CR4_PINNED. SMAP and UMIP are now pinned to 0.
      expect pins.cr4_low == SMAP | UMIP
      set cr4.SMAP
      expect gp
      expect rule rfc2.pin.cr4
      expect cr4.SMAP == 0
      #> The draft's documentation says bits are pinned "to 1"; its next paragraph says a write
      #> "where bits differ from pinned bits" fails — which is what the code does (see `crpin
      #> explain discrepancies`). Bits outside the allowed mask stay free: PKE (bit 22).
      set cr4.PKE
      expect ok
      #> To turn SMAP on, the guest must pin it first (OR: SMEP stays).
      wrmsr CR4_PINNED, SMAP
      expect ok
      expect pins.cr4_high == SMEP | SMAP
      set cr4.SMAP
      expect ok
      #> The guest can never shrink the mask: writing 0 ORs nothing in.
      wrmsr CR4_PINNED, 0
      expect ok
      expect pins.cr4_high == SMEP | SMAP
      #> The VMM's write replaces it (KVM_SET_MSRS).
      host wrmsr CR4_PINNED, 0
      expect ok
      expect pins.cr4_high == 0
      #> A typed number: 0x4b564d09 is CR4_PINNED here but CR4_PIN_ALLOWED in the June 2020
      #> patch; the outcome says so. (Names follow the mechanism in force when a statement runs.)
      rdmsr 0x4b564d09
      expect value == 0
      expect note "CR4_PINNED under kvm-rfc2"
      """)

  /// The draft rewrites KVM's copy of the SMRAM save area on RSM.
  static let rfc2SMRAMRewrite = Scenario(
    id: "rfc2-smram-rewrite",
    title: "kvm-rfc2: a tampered SMRAM CR4 is silently rewritten on RSM",
    source: """
      #> The draft (RFC v2 2/4, code quoted in Message-ID 20200303213541.GY1439@linux.intel.com)
      #> handled SMM differently from the June 2020 patch. A guest booted under it pins WP and
      #> SMEP, SMAP, UMIP through CR0_PINNED / CR4_PINNED.
      option mechanism kvm-rfc2
      boot
      expect ok
      expect pins.cr4_high == SMEP | SMAP | UMIP
      #> An SMI; the handler clears SMEP (bit 20, 0x100000) in the saved CR4.
      smi
      expect ok
      smram cr4, smram.cr4 & ~SMEP
      expect ok
      #> RSM: before the restore, KVM rewrites its own copy of the save area (the 512 bytes em_rsm
      #> read) as `v = (v | pinned) & ~(allowed & ~pinned)`, so the restored CR4 carries the pins.
      #> RSM succeeds; the guest's SMRAM keeps the tampered value; nothing stops.
      rsm
      expect ok
      expect cr4.SMEP == 1
      expect stopped == 0
      expect note "rewrote KVM's copy of the save area"
      #> The June 2020 patch's commit message still describes this fix-up, but its code makes RSM
      #> fail instead and the VM stops (D1; try `crpin scenario smm-tamper`).
      """)

  /// No guest-mode exemption, and no forcing on VM-exit.
  static let rfc2NestedBypass = Scenario(
    id: "rfc2-nested-bypass",
    title: "kvm-rfc2: L2 is checked, but L1 comes back from L2 without SMEP",
    source: """
      #> The draft (RFC v2 2/4, code quoted in Sean Christopherson's review, Message-ID
      #> 20200303213541.GY1439@linux.intel.com) has no guest-mode exemption and no forcing on
      #> VM-exit. crpin assumes L1 intercepts nothing [inference from the review].
      option mechanism kvm-rfc2
      boot
      expect pins.cr4_high == SMEP | SMAP | UMIP
      #> L2's CR4 write that L0 handles itself is checked against L1's masks.
      vmentry
      expect l2 == 1
      clear cr4.SMEP
      expect gp
      expect rule rfc2.pin.cr4
      vmexit
      expect ok
      #> But L1 controls the vmcs12 host CR4 it gets back on VM-exit, and the review pointed
      #> out that load_vmcs12_host_state() skips the pin check.
      vmcs12 host_cr4, cr4 & ~SMEP
      vmentry
      vmexit
      expect ok
      expect cr4.SMEP == 0
      #> L1 runs without SMEP [inference from the review]. The June 2020 patch forces the pinned
      #> bits on VM-exit instead (try `crpin scenario nested-restore`). The draft still holds SMEP
      #> at 1 for later writes: any CR4 write from L1 that leaves it clear takes #GP.
      mov cr4, cr4
      expect gp
      expect rule rfc2.pin.cr4
      """)
}
