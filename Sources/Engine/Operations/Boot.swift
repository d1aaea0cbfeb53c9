/// The Linux 5.8 x86-64 boot path as far as CR0, CR3, CR4 and EFER go, then the guest side of
/// the series: with `KVM_FEATURE_CR_PIN` in CPUID, pin high every allowed bit that is set.
extension VirtualMachine {
  /// Where the boot sequence leaves CR3 (the swapper page tables; PCID 0).
  static let bootedCR3: UInt64 = 0xb41_c000

  /// One step of a boot path: an action and the kernel code that performs it.
  typealias BootStep = (action: Action, context: String)

  /// From reset to protected mode, PAE, long mode: real-mode setup and the decompressor.
  static let earlyBoot: [BootStep] = [
    (.mov(.cr0, 0x6000_0011), "go_to_protected_mode: CR0.PE on (CD, NW, ET kept)"),
    (.mov(.cr4, CR4.pae), "startup_32: CR4.PAE for long mode"),
    (.mov(.cr3, 0x2a0_a000), "startup_32: the decompressor's page tables"),
    (.wrmsr(MSRNumber.efer, EFERBits.lme), "startup_32: EFER.LME"),
    (.mov(.cr0, CR0.pg | CR0.pe), "startup_32: paging on, long mode active"),
  ]

  /// The 64-bit kernel's start-up, CR4 built up bit by bit as Linux enables each feature the
  /// CPU has (PKE is left out: this guest kernel is built without protection keys).
  static func kernelStartup(cpu: CPUModel, kernel: GuestKernelFacts = GuestKernelFacts(.seedBase))
    -> [BootStep]
  {
    var steps: [BootStep] = [
      (.mov(.cr4, CR4.pae | CR4.pge), "startup_64: CR4 = PAE | PGE"),
      (.mov(.cr3, bootedCR3), "startup_64: the kernel's page tables"),
      (
        .wrmsr(MSRNumber.efer, EFERBits.sce | EFERBits.lme | EFERBits.lma | EFERBits.nxe),
        "startup_64: EFER.SCE and EFER.NXE"
      ),
      (.mov(.cr0, 0x8005_0033), "startup_64: CR0_STATE = PE MP ET NE WP AM PG"),
    ]
    var cr4 = CR4.pae | CR4.pge
    func add(_ bits: UInt64, _ context: String, when present: Bool = true) {
      guard present else { return }
      cr4 |= bits
      steps.append((.mov(.cr4, cr4), context))
    }
    add(CR4.pse | CR4.mce, "probe_page_size_mask, mcheck_cpu_init: PSE | MCE")
    add(CR4.osfxsr | CR4.osxmmexcpt, "fpu__init_cpu: OSFXSR | OSXMMEXCPT")
    add(CR4.osxsave, "fpu__init_cpu_xstate: OSXSAVE", when: cpu.has(.xsave))
    add(CR4.smep, "setup_smep: SMEP", when: cpu.has(.smep))
    add(CR4.smap, "setup_smap: SMAP", when: cpu.has(.smap))
    add(CR4.umip, "setup_umip: UMIP", when: cpu.has(.umip))
    add(
      CR4.fsgsbase, "identify_cpu: FSGSBASE (Linux 5.9+, b745cfba44c1)",
      when: kernel.bootSetsFSGSBASE && cpu.has(.fsgsbase))
    add(CR4.pcide, "setup_pcid: PCIDE", when: cpu.has(.pcid))
    add(CR4.cet, "ibt_setup: CET (Linux 5.18+, 991625f3dd2c)", when: kernel.bootSetsCET && cpu.has(.cet))
    return steps
  }

  /// `boot`: reset first if the vCPU has run since its last reset, then the boot path; stops at
  /// the first step that does not end `ok` and reports that step's outcome.
  mutating func boot(on index: Int, into outcome: inout Outcome) {
    if vcpus[index].hasRunSinceReset || stopped {
      resetVCPU(index)
      stopped = false
      outcome.steps.append(
        Step(
          action: .reset, context: "INIT: the vCPU has run since its last reset", kind: .ok,
          rules: [], failureIgnored: false))
      if let note = initNote(on: index) { outcome.notes.append(note) }
    }
    let steps = Self.earlyBoot + Self.kernelStartup(cpu: options.cpu, kernel: options.kernelFacts)
    guard run(steps, on: index, into: &outcome) else { return }
    finishKernelInit(on: index, into: &outcome)
  }

  /// `kexec`: `relocate_kernel` puts CR0 and CR4 in a known state (WP off, CR4 = PAE) without a
  /// reset, then the new kernel starts at startup_64. Pins left in place make it fault.
  mutating func kexec(on index: Int, into outcome: inout Outcome) {
    let registers = vcpus[index].registers
    let cr0 = (registers.cr0 & ~(CR0.am | CR0.wp | CR0.ts | CR0.em)) | CR0.pg | CR0.pe
    let cr4 = CR4.pae | (registers.cr4 & CR4.la57)
    let relocate: [BootStep] = [
      (.mov(.cr0, cr0), "relocate_kernel: CR0 to a known state (WP, AM, TS, EM off)"),
      (.mov(.cr4, cr4), "relocate_kernel: CR4 = PAE"),
    ]
    guard
      run(
        relocate + Self.kernelStartup(cpu: options.cpu, kernel: options.kernelFacts), on: index,
        into: &outcome)
    else {
      outcome.notes.append(
        "This is why the guest side of the series disables kexec when it pins: nothing resets "
          + "the pins between the old kernel and the new one.")
      return
    }
    finishKernelInit(on: index, into: &outcome)
  }

  /// Native pinning's capture (`setup_cr_pinning`), then what a guest kernel of the design in
  /// force does at the end of its init to pin.
  private mutating func finishKernelInit(on index: Int, into outcome: inout Outcome) {
    let registers = vcpus[index].registers
    nativePinnedCR4 = registers.cr4 & options.kernelFacts.nativeCR4Mask
    switch bootPinning(registers) {
    case .throughMSRs(let allowed, let pinned):
      pinThroughMSRs(allowed: allowed, pinned: pinned, on: index, into: &outcome)
    case .steps(let steps):
      _ = run(steps, on: index, into: &outcome)
    case .nothing:
      break
    }
    if let note = bootDesign(on: index) { outcome.notes.append(note) }
  }

  /// The guest side of the series: read the allowed MSRs, pin high the allowed bits that are
  /// set — when CPUID shows the feature (the VMM can expose it only when KVM has the patch).
  private mutating func pinThroughMSRs(
    allowed: (cr0: UInt32, cr4: UInt32), pinned: (cr0: UInt32, cr4: UInt32), on index: Int,
    into outcome: inout Outcome
  ) {
    guard options.cpuidPin else {
      outcome.notes.append(
        "CPUID does not show KVM_FEATURE_CR_PIN, so the guest does not pin through the MSRs.")
      return
    }
    let registers = vcpus[index].registers
    var masks: [UInt64] = []
    for msr in [allowed.cr0, allowed.cr4] {
      guard
        let value = runStep((.rdmsr(msr), "pv_cr_pin: which bits may be pinned"), on: index, into: &outcome)
      else { return }
      masks.append(value)
    }
    for (msr, bits) in [(pinned.cr0, registers.cr0 & masks[0]), (pinned.cr4, registers.cr4 & masks[1])]
    where bits != 0 {
      let step: BootStep = (.wrmsr(msr, bits), "pv_cr_pin: pin high the allowed bits that are set")
      guard runStep(step, on: index, into: &outcome) != nil else { return }
    }
  }

  /// Runs steps in order; returns false after the first that does not end `ok`.
  private mutating func run(_ steps: [BootStep], on index: Int, into outcome: inout Outcome) -> Bool {
    for step in steps {
      guard runStep(step, on: index, into: &outcome) != nil else { return false }
    }
    return true
  }

  /// Runs one step, recording it; on failure the whole outcome takes the step's verdict.
  /// Returns the value read (0 for writes), or `nil` when the step failed.
  private mutating func runStep(_ step: BootStep, on index: Int, into outcome: inout Outcome)
    -> UInt64?
  {
    var sub = Outcome(before: self, action: step.action, index: index)
    perform(step.action, on: index, into: &sub)
    vcpus[index].hasRunSinceReset = true
    outcome.steps.append(
      Step(
        action: step.action, context: step.context, kind: sub.kind, rules: sub.rules,
        failureIgnored: false))
    guard sub.kind == .ok else {
      outcome.kind = sub.kind
      outcome.rules += sub.rules
      outcome.notes.append(
        "The boot stopped at its step \(outcome.steps.count) (\(step.context)): \(sub.kind.display).")
      return nil
    }
    return sub.value ?? 0
  }
}
