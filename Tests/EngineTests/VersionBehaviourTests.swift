import Engine
import SeededRandom
import Testing

/// What the guest kernel's and the host KVM's versions change in the engine's outcomes, rule by
/// rule (facts: `GuestKernelFacts`, `HostKVMFacts`, docs/versions.md).
@Suite("versions: what each kernel and KVM version changes")
struct VersionBehaviourTests {
  static func v(_ major: Int, _ minor: Int) -> LinuxVersion { LinuxVersion(major, minor) }

  /// A booted VM on `kernel` and `kvm`, with `features` added to CPUID; no hypervisor pins
  /// unless `pinned`.
  static func vm(
    kernel: LinuxVersion = .seedBase, kvm: LinuxVersion = .seedBase, adding features: [CPUFeature] = [],
    pinned: Bool = false, mechanism: Mechanism = .kvm2020
  ) -> VirtualMachine {
    var options = VMOptions()
    options.kernel = kernel
    options.kvm = kvm
    options.cpuidPin = pinned
    options.mechanism = mechanism
    for feature in features { options.cpu.features.insert(CPUFeatureSet(feature)) }
    return VirtualMachine(bootedWith: 1, options: options)
  }

  @Test(
    "boot sets FSGSBASE from 5.9 on (b745cfba44c1) and CET from 5.18 on where the CPU has it",
    arguments: [(v(5, 3), false), (v(5, 8), false), (v(5, 9), true), (v(5, 18), true), (v(6, 19), true)])
  func bootPerKernel(kernel: LinuxVersion, setsFSGSBASE: Bool) {
    let plain = Self.vm(kernel: kernel)
    #expect((plain.regs.cr4 & CR4.fsgsbase != 0) == setsFSGSBASE)
    #expect(plain.regs.cr4 & CR4.cet == 0, "the default CPU model has no CET")
    let withCET = Self.vm(kernel: kernel, kvm: Self.v(6, 18), adding: [.cet])
    #expect((withCET.regs.cr4 & CR4.cet != 0) == (kernel >= Self.v(5, 18)))
    var noFSGSBASE = VMOptions()
    noFSGSBASE.kernel = kernel
    noFSGSBASE.cpu.features.remove(.fsgsbase)
    #expect(VirtualMachine(bootedWith: 1, options: noFSGSBASE).regs.cr4 & CR4.fsgsbase == 0)
  }

  @Test(
    "native pinning per kernel: what it captures at boot",
    arguments: [
      (v(5, 3), CR4.smep | CR4.smap | CR4.umip), (v(5, 7), CR4.smep | CR4.smap | CR4.umip),
      (v(5, 8), CR4.smep | CR4.smap | CR4.umip), (v(5, 9), CR4.smep | CR4.smap | CR4.umip | CR4.fsgsbase),
    ])
  func capturedAtBoot(kernel: LinuxVersion, pinned: UInt64) {
    #expect(Self.vm(kernel: kernel).nativePinnedCR4 == pinned)
  }

  @Test(
    "5.3-5.7 pin to 1 only: a cleared bit comes back with `CR4 bits went missing: %lx!?`, a set one stands",
    arguments: [v(5, 3), v(5, 7)])
  func pinToOneOnly(kernel: LinuxVersion) {
    var vm = Self.vm(kernel: kernel)
    let boot = vm.regs.cr4
    let cleared = vm.apply(.kernelWrite(.cr4, boot & ~CR4.smep), on: 0)
    #expect(vm.regs.cr4 == boot)
    #expect(cleared.layers.last == Layer(.nativePinning, .restoredMissing(bits: CR4.smep)))
    #expect(cleared.layers.last?.verdict == "restored 0x100000 and warned `CR4 bits went missing: 100000!?`")
    #expect(cleared.notes.contains { $0.contains("`CR4 bits went missing: 100000!?`") })
    let set = vm.apply(.kernelWrite(.cr4, boot | CR4.fsgsbase), on: 0)
    #expect(vm.regs.cr4 == boot | CR4.fsgsbase, "FSGSBASE is not in 5.3's mask: the write stands")
    #expect(set.layers.last == Layer(.nativePinning, .nothingMissing))
  }

  @Test(
    "FSGSBASE is held at its boot value: 0 on 5.8 (set again cleared), 1 on 5.9+ (cleared again set)",
    arguments: [(v(5, 8), false), (v(5, 9), true), (v(6, 9), true)])
  func fsgsbasePinnedToBootValue(kernel: LinuxVersion, bootValue: Bool) {
    var vm = Self.vm(kernel: kernel)
    let boot = vm.regs.cr4
    let outcome = vm.apply(.kernelWrite(.cr4, boot ^ CR4.fsgsbase), on: 0)
    #expect(vm.regs.cr4 == boot)
    #expect(
      outcome.layers.last?.verdict == "restored 0x10000 and warned `pinned CR4 bits changed: 0x10000!?`")
    #expect((boot & CR4.fsgsbase != 0) == bootValue)
  }

  @Test(
    "property: after any kernel write, every natively pinned bit is back at its boot value (5.8+) or set (5.3-5.7)",
    arguments: [v(5, 3), v(5, 7), v(5, 8), v(5, 9), v(5, 18), v(6, 9), v(6, 19)])
  func nativePinningHolds(kernel: LinuxVersion) {
    var rng = SplitMix64(seed: 58)
    var vm = Self.vm(kernel: kernel, kvm: Self.v(6, 18), adding: [.cet], mechanism: .native)
    let captured = vm.nativePinnedCR4 ?? 0
    let mask = GuestKernelFacts(kernel).nativeCR4Mask
    for _ in 0..<300 {
      let flips = rng.next() & (mask | CR4.pge | CR4.tsd | CR4.osxsave)
      let value = vm.regs.cr4 ^ flips
      let outcome = vm.apply(.kernelWrite(.cr4, value), on: 0)
      guard outcome.kind == .ok else { continue }
      if GuestKernelFacts(kernel).pinsToBootValue {
        #expect(vm.regs.cr4 & mask == captured, "\(kernel): \(outcome.notes)")
      } else {
        #expect(vm.regs.cr4 & captured == captured, "\(kernel)")
      }
    }
  }

  @Test("5.18 pins CET natively (991625f3dd2c): a kernel write clearing it is put back")
  func cetPinnedNatively() {
    var vm = Self.vm(kernel: Self.v(5, 18), kvm: Self.v(6, 18), adding: [.cet])
    let boot = vm.regs.cr4
    #expect(boot & CR4.cet != 0)
    let outcome = vm.apply(.kernelWrite(.cr4, boot & ~CR4.cet), on: 0)
    #expect(vm.regs.cr4 == boot)
    #expect(outcome.layers.last?.restoredBits == CR4.cet)
    var older = Self.vm(kernel: Self.v(5, 17), kvm: Self.v(6, 18), adding: [.cet])
    #expect(older.regs.cr4 & CR4.cet == 0, "5.17 does not set CET at boot")
    let set = older.apply(.kernelWrite(.cr4, older.regs.cr4 | CR4.cet), on: 0)
    #expect(set.layers.last == Layer(.nativePinning, .nothingMissing), "5.17 does not pin CET")
  }

  @Test(
    "KVM's known CR4 bits: LAM_SUP from 6.8, CET from 6.18, each also gated on CPUID; FRED and LASS never",
    arguments: [
      (v(6, 7), CR4.lamSup, CPUFeature.lam, RuleID.cr4Reserved),
      (v(6, 8), CR4.lamSup, CPUFeature.lam, RuleID.cr4FeatureMissing),
      (v(6, 17), CR4.cet, CPUFeature.cet, RuleID.cr4Reserved),
      (v(6, 18), CR4.cet, CPUFeature.cet, RuleID.cr4FeatureMissing),
    ])
  func knownBits(kvm: LinuxVersion, bit: UInt64, feature: CPUFeature, without rule: RuleID) {
    let vm = Self.vm(kvm: kvm)
    #expect(vm.preview(.mov(.cr4, vm.regs.cr4 | bit), on: 0).ruleIDs == [rule])
    var with = vm
    #expect(with.apply(.hostCPUID(feature, present: true), on: 0).kind == .ok)
    let outcome = with.preview(.mov(.cr4, with.regs.cr4 | bit), on: 0)
    #expect(outcome.kind == (rule == .cr4Reserved ? .gp : .ok))
    for unknown in [CR4.fred, CR4.lass, CR4.pks, CR4.kl] {
      #expect(vm.preview(.mov(.cr4, vm.regs.cr4 | unknown), on: 0).ruleIDs == [.cr4Reserved])
    }
  }

  @Test("the reserved-bit sentence names the chosen KVM", arguments: [v(5, 8), v(6, 8), v(6, 19)])
  func reservedSentence(kvm: LinuxVersion) {
    let vm = Self.vm(kvm: kvm)
    let outcome = vm.preview(.mov(.cr4, vm.regs.cr4 | CR4.fred), on: 0)
    #expect(outcome.rules.first?.message.hasSuffix("KVM \(kvm) does not know it.") == true)
  }

  @Test(
    "a hypervisor pin on WP: KVM 6.4+ with EPT never sees a guest clearing WP, under every design that checks in KVM",
    arguments: [Mechanism.kvm2020, .kvmRFC2, .heki], [v(5, 8), v(6, 3), v(6, 4), v(6, 18)])
  func wpOwnedFrom64(mechanism: Mechanism, kvm: LinuxVersion) {
    var vm = Self.vm(kvm: kvm, pinned: true, mechanism: mechanism)
    #expect(vm.effectivePins(on: 0).cr0High & CR0.wp != 0, "the design pinned WP at boot")
    let outcome = vm.apply(.mov(.cr0, vm.regs.cr0 & ~CR0.wp), on: 0)
    if kvm >= Self.v(6, 4) {
      #expect(outcome.kind == .ok)
      #expect(outcome.rules.isEmpty)
      #expect(vm.regs.cr0 & CR0.wp == 0)
      #expect(outcome.notes.contains { $0.contains("never exits to KVM") && $0.contains("fb509f76acc8") })
    } else {
      #expect(outcome.kind == .gp)
    }
  }

  @Test("the kernel's own write on 6.4: the design's layer is not reached, native pinning puts WP back")
  func kernelWriteLayers() {
    var vm = Self.vm(kvm: Self.v(6, 4), pinned: true)
    let outcome = vm.apply(.kernelWrite(.cr0, vm.regs.cr0 & ~CR0.wp), on: 0)
    #expect(outcome.kind == .ok)
    #expect(
      outcome.layers == [
        Layer(.design(.kvm2020), .notReached), Layer(.nativePinning, .restored(.cr0, bits: CR0.wp)),
      ])
    #expect(outcome.layers.first?.verdict == "not reached: only guest-owned bits changed, no exit to KVM")
    #expect(vm.regs.cr0 & CR0.wp != 0)
  }

  @Test("a write that also changes an exiting bit still exits: the pin check sees it on 6.4")
  func mixedWriteExits() {
    var vm = Self.vm(kvm: Self.v(6, 4), pinned: true)
    let outcome = vm.apply(.mov(.cr0, vm.regs.cr0 & ~(CR0.wp | CR0.am)), on: 0)
    #expect(outcome.kind == .gp)
    #expect(outcome.ruleIDs == [.pinCR0High])
  }

  @Test("Heki's FSGSBASE lock: KVM 5.10+ lets the guest own FSGSBASE, so clearing it never reaches the check")
  func fsgsbaseOwnedFrom510() {
    for (kvm, reached) in [(Self.v(5, 9), true), (Self.v(5, 10), false)] {
      var vm = Self.vm(kernel: Self.v(5, 9), kvm: kvm, pinned: true, mechanism: .heki)
      #expect(vm.effectivePins(on: 0).cr4High & CR4.fsgsbase != 0)
      let outcome = vm.apply(.mov(.cr4, vm.regs.cr4 & ~CR4.fsgsbase), on: 0)
      #expect((outcome.kind == .gp) == reached, "KVM \(kvm)")
    }
  }

  @Test(
    "a guest MOV changing only guest-owned bits never fires a KVM rule (property, every KVM version)",
    arguments: [v(5, 8), v(5, 9), v(5, 10), v(6, 4), v(6, 18), v(7, 1)])
  func guestOwnedNeverFires(kvm: LinuxVersion) {
    var rng = SplitMix64(seed: 16)
    let base = Self.vm(kvm: kvm, pinned: true)
    for _ in 0..<200 {
      var vm = base
      let owned = (register: PinnableRegister.cr0, mask: vm.options.nonExitingCR0)
      // A reserved bit is never guest-owned (KVM clears it from the owned bits).
      let ownedCR4 = vm.options.nonExitingCR4 & ~vm.options.cpu.featureGatedCR4
      let cr0 = vm.regs.cr0 ^ (rng.next() & owned.mask)
      let cr4 = vm.regs.cr4 ^ (rng.next() & ownedCR4)
      for action in [Action.mov(.cr0, cr0), .mov(.cr4, cr4)] {
        let outcome = vm.apply(action, on: 0)
        #expect(outcome.kind == .ok, "\(action) on KVM \(kvm)")
      }
      #expect(vm.regs.cr0 == cr0 && vm.regs.cr4 == cr4)
    }
  }

  @Test("KVM 6.18's CET rules: WP cannot be cleared while CET is set, CET cannot be set while WP is clear")
  func cetAndWP() {
    var vm = Self.vm(kernel: Self.v(6, 9), kvm: Self.v(6, 18), adding: [.cet])
    #expect(vm.regs.cr4 & CR4.cet != 0)
    let clearWP = vm.preview(.mov(.cr0, vm.regs.cr0 & ~CR0.wp), on: 0)
    #expect(clearWP.kind == .gp)
    #expect(clearWP.ruleIDs == [.cr0WPClearWithCET])
    vm = Fixture.after([.mov(.cr4, vm.regs.cr4 & ~CR4.cet), .mov(.cr0, vm.regs.cr0 & ~CR0.wp)], from: vm)
    let setCET = vm.preview(.mov(.cr4, vm.regs.cr4 | CR4.cet), on: 0)
    #expect(setCET.ruleIDs == [.cr4CETWithoutWP])
    #expect(setCET.rules.first?.source.contains("6.18") == true)
    var exiting = vm
    let both = exiting.apply(.mov(.cr0, vm.regs.cr0 | CR0.wp | CR0.am), on: 0)
    #expect(both.kind == .ok)
    #expect(exiting.apply(.mov(.cr4, exiting.regs.cr4 | CR4.cet), on: 0).kind == .ok)
  }

  @Test(
    "a failed RSM: an emulation-failure exit before 5.14, a triple fault (stopped) from 5.14 on",
    arguments: [
      (v(5, 8), OutcomeKind.exit, RuleID.rsmEmulationFailedExit), (v(5, 13), .exit, .rsmEmulationFailedExit),
      (v(5, 14), .stopped, .rsmTripleFault), (v(6, 18), .stopped, .rsmTripleFault),
    ])
  func rsmFailure(kvm: LinuxVersion, kind: OutcomeKind, rule: RuleID) {
    var vm = Fixture.after([.smi], from: Self.vm(kvm: kvm, pinned: true))
    let image = vm.vcpus[0].smm?.image.cr4 ?? 0
    _ = vm.apply(.smram(.cr4, image & ~CR4.smep), on: 0)
    let outcome = vm.apply(.rsm, on: 0)
    #expect(outcome.kind == kind)
    #expect(outcome.ruleIDs == [.pinCR4High, .rsmRestoreFailed, rule])
    #expect(vm.stopped)
    #expect(vm.apply(.mov(.cr4, 0), on: 0).kind == .stopped)
  }

  @Test(
    "the patch runs rebased on any KVM but 5.8 (kvm-2020, kvm-rfc2), and says so when the option is set",
    arguments: Mechanism.allCases)
  func rebasedNote(mechanism: Mechanism) {
    var vm = Self.vm(mechanism: mechanism)
    let outcome = vm.apply(.kvmVersion(Self.v(6, 4)), on: 0)
    let says = outcome.notes.contains { $0.contains("as if the patch were rebased onto KVM 6.4") }
    #expect(says == (mechanism == .kvm2020 || mechanism == .kvmRFC2))
    #expect(outcome.notes.contains { $0.hasPrefix("What-if:") })
    #expect(vm.options.kvm == Self.v(6, 4))
    #expect(outcome.changes.map(\.description) == ["kvm 5.8 → 6.4"])
  }

  @Test("past the facts every outcome says what changed since is undecided", arguments: [true, false])
  func beyondFacts(kernel: Bool) {
    var vm = Self.vm()
    _ = vm.apply(kernel ? .kernelVersion(LinuxVersion(7, 0)) : .kvmVersion(LinuxVersion(7, 0)), on: 0)
    for action in [Action.mov(.cr4, vm.regs.cr4), .rdmsr(MSRNumber.efer), .smi] {
      #expect(
        vm.apply(action, on: 0).notes.last == "crpin's facts end at 6.19: what changed since is undecided.")
    }
    #expect(Self.vm().preview(.smi, on: 0).notes.allSatisfy { !$0.contains("undecided") })
  }

  @Test(
    "option kernel reboots into the new kernel: pins cleared and set again by its boot, the version changed")
  func kernelOptionReboots() {
    var vm = Self.vm(pinned: true)
    _ = vm.apply(.wrmsr(MSRNumber.cr4PinnedHigh, vm.effectivePins(on: 0).cr4High | CR4.osxsave), on: 0)
    let outcome = vm.apply(.kernelVersion(Self.v(5, 9)), on: 0)
    #expect(outcome.kind == .ok)
    #expect(vm.options.kernel == Self.v(5, 9))
    #expect(vm.regs.cr4 & CR4.fsgsbase != 0)
    #expect(vm.effectivePins(on: 0).cr4High & CR4.osxsave == 0, "the reboot cleared the extra pin")
    #expect(outcome.changes.contains { $0.description == "kernel 5.8 → 5.9" })
    #expect(outcome.notes.contains { $0.contains("rebooted from Linux 5.8 into Linux 5.9") })
    var same = vm
    let again = same.apply(.kernelVersion(Self.v(5, 9)), on: 0)
    #expect(same == vm)
    #expect(again.notes == ["The guest already runs Linux 5.9: nothing to do."])
  }

  @Test("host cpuid changes the CPU model at once and shows in the changes", arguments: CPUFeature.allCases)
  func hostCPUID(feature: CPUFeature) {
    var vm = Self.vm()
    let present = vm.options.cpu.has(feature)
    let outcome = vm.apply(.hostCPUID(feature, present: !present), on: 0)
    #expect(vm.options.cpu.has(feature) != present)
    #expect(outcome.changes.map(\.field) == ["CPUID"])
  }

  @Test("the defaults: 5.8 and 5.8, nothing non-exiting, no undecided note, the seed patch not rebased")
  func defaults() {
    let options = VMOptions()
    #expect(options.kernel == .seedBase && options.kvm == .seedBase)
    #expect(options.nonExitingCR0 == 0 && options.nonExitingCR4 == 0)
    #expect(options.knownCR4 == CR4.knownToKVM)
    #expect(!options.beyondFacts && !options.kvmChecksCETAndWP)
    #expect(
      VirtualMachine(bootedWith: 1).nativePinMaskOfKernel(.cr4) == GuestKernelFacts(.seedBase).nativeCR4Mask)
  }
}
