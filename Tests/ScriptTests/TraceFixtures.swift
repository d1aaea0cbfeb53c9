/// Trace text for the importer's tests. `mathias`, `vitaly` and `perf` are verbatim from public
/// mails (quoted in docs/traces.md); the others are built from
/// the documented formats, as each says.
enum TraceFixtures {
  /// Raw ftrace, 5-character flags column: Mathias Krause, 30 Mar 2023, "Re: [PATCH v4 6/6] KVM:
  /// VMX: Make CR0.WP a guest owned bit" (Msg-ID ea3a8fbc-2bf8-7442-e498-3e5818384c83@grsecurity.net):
  /// L1 KVM tracing L2's secondary CPU coming up, ending in a triple fault. Verbatim.
  static let mathias = """
     qemu-system-x86-8397    [002] d....  1404.389366: kvm_exit: vcpu 1 reason CR_ACCESS rip 0xffffffff8100007a info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
     qemu-system-x86-8397    [002] .....  1404.389373: kvm_cr: cr_write 0 = 0x80050033
     qemu-system-x86-8397    [002] d....  1404.389461: kvm_entry: vcpu 1, rip 0xffffffff8100007d
     qemu-system-x86-8397    [002] d....  1404.389481: kvm_exit: vcpu 1 reason CR_ACCESS rip 0xffffffff810000a0 info1 0x0000000000000104 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
     qemu-system-x86-8397    [002] .....  1404.389488: kvm_cr: cr_write 4 = 0xb0
     qemu-system-x86-8397    [002] d....  1404.389491: kvm_entry: vcpu 1, rip 0xffffffff810000a3
     qemu-system-x86-8397    [002] d....  1404.389501: kvm_exit: vcpu 1 reason CPUID rip 0xffffffff81000127 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
     qemu-system-x86-8397    [002] .....  1404.389501: kvm_cpuid: func 80000001 idx d3f0eef rax 50657 rbx 0 rcx 121 rdx 2c100800, cpuid entry found
     qemu-system-x86-8397    [002] d....  1404.389509: kvm_exit: vcpu 1 reason MSR_READ rip 0xffffffff81000130 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
     qemu-system-x86-8397    [002] .....  1404.389509: kvm_msr: msr_read c0000080 = 0xd01
     qemu-system-x86-8397    [002] d....  1404.389517: kvm_exit: vcpu 1 reason MSR_WRITE rip 0xffffffff81000149 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
     qemu-system-x86-8397    [002] .....  1404.389519: kvm_msr: msr_write c0000080 = 0xd01
     qemu-system-x86-8397    [002] d....  1404.389536: kvm_exit: vcpu 1 reason CR_ACCESS rip 0xffffffff81053aee info1 0x0000000000000004 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
     qemu-system-x86-8397    [002] .....  1404.389537: kvm_cr: cr_write 4 = 0x3208b0
     qemu-system-x86-8397    [002] d....  1404.389646: kvm_exit: vcpu 1 reason LDTR_TR rip 0xffffffff810551b8 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
     qemu-system-x86-8397    [002] .....  1404.389664: kvm_emulate_insn: 0:ffffffff810551b8:0f 00 d8 (prot64)
     qemu-system-x86-8397    [002] .....  1404.389669: kvm_mmu_walker_error: pferr 3 P|W
     qemu-system-x86-8397    [002] .....  1404.389684: kvm_inj_exception: #PF (0x3)
     qemu-system-x86-8397    [002] d....  1404.389711: kvm_entry: vcpu 1, rip 0xffffffff810551b8
     qemu-system-x86-8397    [002] d....  1404.389730: kvm_exit: vcpu 1 reason TRIPLE_FAULT rip 0xffffffff810551b8 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
    """

  /// Raw ftrace, 4-character flags column, the 5.10+ `kvm_nested_vmexit` format: Vitaly
  /// Kuznetsov (Msg-ID 87imehotp1.fsf@vitty.brq.redhat.com). Verbatim, with the mail's `…`.
  static let vitaly = """
     qemu-system-x86-20263 [006] .... 75982.292657: kvm_nested_vmexit: vcpu 0 reason hypercall rip 0x40122f info1 …
    """

  /// `perf script` without comm/pid columns (Msg-ID
  /// 95c1dc01-4aa0-46a6-95b1-bbc62588ac6e@www.fastmail.com). Verbatim, with the mail's `…`.
  static let perf = """
    [001]   770.850307:   kvm:kvm_exit: vcpu 0 reason TRIPLE_FAULT rip 0x100146 info1 …
    …   kvm:kvm_userspace_exit: reason KVM_EXIT_SHUTDOWN (8)
    """

  /// `trace-cmd report` with libtraceevent's KVM plugin (`plugins/plugin_kvm.c`): Mathias's first
  /// six events printed in the plugin's formats (`kvm_exit` without a vCPU, `kvm_entry` as
  /// ` vcpu %u rip 0x%llx`, an optional function after the rip), trace-cmd's `cpus=` header,
  /// and a plugin-format `kvm_nested_vmexit` (` rip %llx reason … info1 …`). Built from the formats.
  static let traceCmdPlugin = """
    cpus=4
     qemu-system-x86-8397  [002]  1404.389366: kvm_exit:             reason CR_ACCESS rip 0xffffffff8100007a info 0 0
     qemu-system-x86-8397  [002]  1404.389373: kvm_cr:               cr_write 0 = 0x80050033
     qemu-system-x86-8397  [002]  1404.389461: kvm_entry:             vcpu 1 rip 0xffffffff8100007d
     qemu-system-x86-8397  [002]  1404.389481: kvm_exit:             reason CR_ACCESS rip 0xffffffff810000a0 secondary_startup_64+0xa0 info 104 0
     qemu-system-x86-8397  [002]  1404.389488: kvm_cr:               cr_write 4 = 0xb0
     qemu-system-x86-8397  [002]  1404.389491: kvm_entry:             vcpu 1 rip 0xffffffff810000a3
     qemu-system-x86-8397  [002]  1404.389500: kvm_nested_vmexit:     rip 40122f reason hypercall info1 0 info2 0 int_info 0 int_info_err 0
    """

  /// `perf script` with its default comm and pid columns and its `#` header: Mathias's first
  /// three events. Built from the format.
  static let perfWithColumns = """
    # ========
    # captured on: Sun Mar 30 12:00:00 2023
    # ========
    #
     qemu-system-x86  8397 [002]  1404.389366: kvm:kvm_exit: vcpu 1 reason CR_ACCESS rip 0xffffffff8100007a info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
     qemu-system-x86  8397 [002]  1404.389373: kvm:kvm_cr: cr_write 0 = 0x80050033
     qemu-system-x86  8397 [002]  1404.389461: kvm:kvm_entry: vcpu 1, rip 0xffffffff8100007d
    """

  /// A boot in raw ftrace (built from Mathias's formats): vCPU 0 goes from CR4 0xb0 to Linux
  /// 5.8's 0x360ef0, then asks for a reserved CR4 bit (bit 24, PKS: #GP, the exception injected
  /// and the same rip re-entered), then clears only WP the way kexec's `relocate_kernel` does.
  static let boot = """
    # tracer: nop
    #
     qemu-system-x86-9000    [001] d....  10.000001: kvm_exit: vcpu 0 reason CR_ACCESS rip 0x1000 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
     qemu-system-x86-9000    [001] .....  10.000002: kvm_cr: cr_write 0 = 0x80050033
     qemu-system-x86-9000    [001] d....  10.000003: kvm_entry: vcpu 0, rip 0x1003
     qemu-system-x86-9000    [001] d....  10.000004: kvm_exit: vcpu 0 reason CR_ACCESS rip 0x1010 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
     qemu-system-x86-9000    [001] .....  10.000005: kvm_cr: cr_write 4 = 0xb0
     qemu-system-x86-9000    [001] d....  10.000006: kvm_entry: vcpu 0, rip 0x1013
     qemu-system-x86-9000    [001] d....  10.000007: kvm_exit: vcpu 0 reason MSR_WRITE rip 0x1020 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
     qemu-system-x86-9000    [001] .....  10.000008: kvm_msr: msr_write c0000080 = 0xd01
     qemu-system-x86-9000    [001] d....  10.000009: kvm_entry: vcpu 0, rip 0x1023
     qemu-system-x86-9000    [001] d....  10.000010: kvm_exit: vcpu 0 reason CR_ACCESS rip 0xffffffff81053aee info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
     qemu-system-x86-9000    [001] .....  10.000011: kvm_cr: cr_write 4 = 0x360ef0
     qemu-system-x86-9000    [001] d....  10.000012: kvm_entry: vcpu 0, rip 0xffffffff81053af1
     qemu-system-x86-9000    [001] d....  10.000013: kvm_exit: vcpu 0 reason CR_ACCESS rip 0xffffffff81100000 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
     qemu-system-x86-9000    [001] .....  10.000014: kvm_cr: cr_write 4 = 0x1360ef0
     qemu-system-x86-9000    [001] .....  10.000015: kvm_inj_exception: #GP (0x0)
     qemu-system-x86-9000    [001] d....  10.000016: kvm_entry: vcpu 0, rip 0xffffffff81100000
     qemu-system-x86-9000    [001] d....  10.000017: kvm_exit: vcpu 0 reason CR_ACCESS rip 0xffffffff81200000 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000
     qemu-system-x86-9000    [001] .....  10.000018: kvm_cr: cr_write 0 = 0x80040033
     qemu-system-x86-9000    [001] d....  10.000019: kvm_entry: vcpu 0, rip 0xffffffff81200003
    """
}
