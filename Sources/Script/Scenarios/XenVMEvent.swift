extension Scenario {
  /// Xen's vm_event monitor denies a CR write; Xen drops it, no #GP.
  static let xenDeny = Scenario(
    id: "xen-deny",
    title: "xen-vm-event: a monitor in dom0 denies CR writes; Xen drops them, no #GP",
    source: """
      #> Xen's vm_event monitoring (xen arch/x86/hvm/monitor.c, hvm_monitor_cr; vm_event.c,
      #> vm_event_register_write_resume): a tool in dom0 subscribes to a domain's CR0/CR4 writes.
      #> Xen pauses the vCPU and asks; a reply with VM_EVENT_FLAG_DENY clears do_write, and the
      #> write is silently dropped: no #GP, the register keeps its old value. What the monitor
      #> decides is the tool's: crpin's denies any write clearing WP, SMEP, SMAP or UMIP.
      option mechanism xen-vm-event
      boot
      expect ok
      expect note "subscribed"
      #> A ROP chain's mov clearing SMEP (bit 20, 0x100000): denied, dropped, no fault.
      clear cr4.SMEP
      expect dropped
      expect rule xen.monitor.deny
      expect cr4.SMEP == 1
      #> The guest runs on: a write that changes only bits the monitor does not watch goes ahead.
      set cr4.PCE
      expect ok
      expect cr4.PCE == 1
      #> The kernel's own path: the write is dropped, then native pinning checks the value it
      #> wrote and writes it again with WP (a write that changes no watched bit: CR0 kept WP).
      kernel write cr0, cr0 & ~WP
      expect dropped
      expect cr0.WP == 1
      #> Xen checks a write before it asks the monitor: clearing PAE in long mode is #GP.
      mov cr4, cr4 & ~PAE & ~SMEP
      expect gp
      """)
}
