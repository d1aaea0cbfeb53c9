/// The script language in brief: `crpin help language` prints it, the TUI's `:help` shows it
/// and its hint line quotes the entry of the statement being typed.
///
/// Every line fits 80 columns with the indent help adds; a prose paragraph is one line (the
/// help and the TUI wrap it), and a statement whose syntax and meaning do not fit on one line
/// has its meaning on a continuation line, indented to the meaning column.
public enum LanguageHelp {
  /// The whole text.
  public static let text = """
    One statement a line; `#` starts a comment, `#>` a narration line (printed in text \
    traces); keywords are case-insensitive.
      vcpus N                          first line only: N booted vCPUs (1-8)
      vcpu N                           select vCPU N (0-based)
      mov cr0|cr3|cr4, EXPR            guest MOV to a control register
      set cr4.SMEP / clear cr0.WP      guest MOV of the value, one bit changed
      wrmsr MSR, EXPR / rdmsr MSR      guest WRMSR / RDMSR
      host wrmsr MSR, EXPR / host rdmsr MSR
                                       the VMM's KVM_SET_MSRS / KVM_GET_MSRS
      smi / rsm                        enter / leave SMM
      smram cr0|cr3|cr4|efer, EXPR     edit the SMRAM state-save image (in SMM)
      vmcs12 host_cr0|host_cr4, EXPR   L1 sets a vmcs12 host field
      vmentry / vmexit                 L1 enters L2 / L2 exits to L1
      reset                            INIT the selected vCPU (clears its pins)
      reboot [keep-pins]               reset every vCPU (keep-pins: stale pins)
      migrate [drop-pins]              move the VM (drop-pins: pin MSRs lost)
      boot / kexec                     the Linux boot path / kexec a new kernel
      kernel write cr0|cr4, EXPR       the guest kernel's native_write_crX()
      exec user / access user          ret2usr / a user read (#PF: SMEP / SMAP)
      stac / clac                      set / clear EFLAGS.AC
      host sregs cr0=EXPR cr3=EXPR cr4=EXPR efer=EXPR
                                       the VMM's KVM_SET_SREGS (any subset)
      option kvm-pin|cpuid-pin|native-pin|init-keeps-pins on|off
                                       VM options
      option enforce-pv-cpuid|allowed-writable|wp-guest-owned on|off
                                       the review's policies
      option mechanism kvm-2020|kvm-rfc2|heki|vtl1|native|none
                                       switch design (clears every pin)
      option host-cr0 EXPR / option host-cr4 EXPR
                                       the host's CR0/CR4 (heki's locks need them)
      hypercall lock_cr cr0|cr4, EXPR [, FLAGS]
                                       heki's KVM_HC_LOCK_CR_UPDATE; value = RAX
      vtl1 intercept cr0|cr4, MASK / vtl1 policy drop|gp|allow
                                       VTL1's intercepts and policy
      expect ok|gp|ud|pf|exit|dropped|rejected|stopped
                                       the previous action's outcome
      expect[heki] ok, expect[kvm-2020, kvm-rfc2] …
                                       checked only under those mechanisms
      expect rule ID / expect note "TEXT"
                                       a rule it fired / a note it gave
      expect cr4 == EXPR, cr4.SMEP == 1, pins.cr4_high == EXPR, value == EXPR,
             smram.cr4 == EXPR, smm == 1, l2 == 0, stopped == 0   (also !=)
    EXPR: numbers (0x1f, 31, 0b101), bit names (SMEP, cr4.SMEP), cr0 cr3 cr4 efer (current \
    values), pins.cr4_high, smram.cr4, with | ^ & << >> ~ and parentheses: cr4 & ~SMEP.
    MSR: a number, or a name with or without MSR_KVM_ (CR4_PINNED_HIGH, EFER), resolved when \
    the statement runs: under kvm-rfc2 CR0/CR4_PIN_ALLOWED are 0x4b564d06/07, CR0/CR4_PINNED \
    08/09.
    Exit status: 0 all expectations held, 1 an expectation failed, 2 usage, parse or input \
    error (no such file, a directory, invalid UTF-8, over 16 MiB), 3 standard output could not \
    be written.
    """
}
