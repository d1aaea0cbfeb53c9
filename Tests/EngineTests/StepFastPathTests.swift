@testable import Engine
import SeededRandom
import Testing

/// `step`'s short path for a guest MOV to CR4 (`plainMovCR4`: the masks kept beside the design
/// state, KVM's checks as bit tests) against `apply`, in the states where each of its checks
/// decides, on every vCPU; and the masks it reads against the design state they come from.
@Suite("step: the MOV-to-CR4 fast path")
struct StepFastPathTests {
  /// Starting points, each a set-up run on every vCPU of a 3-vCPU booted VM (then vCPU 1 has
  /// UMIP pinned low, where the design allows it, and vCPU 2 no high pins: the masks differ).
  static let setups: [(String, [Action])] = [
    ("booted and pinned", []),
    ("in SMM", [.smi]),
    ("in L2", [.vmentry]),
    ("in SMM from L2", [.vmentry, .smi]),
    ("CR3 with a PCID, PCIDE clear", [.mov(.cr3, 0xb41c005)]),
    ("PCIDE set", [.mov(.cr4, 0x36_0ef0 | CR4.pcide)]),
    ("VMXE set", [.mov(.cr4, 0x36_0ef0 | CR4.vmxe)]),
    ("kvm-pin off", [.option(.kvmPin, false)]),
    ("mechanism native", [.mechanism(.native), .boot]),
    ("mechanism kvm-rfc2 (general path)", [.mechanism(.kvmRFC2), .boot]),
    ("mechanism heki (general path)", [.mechanism(.heki), .boot]),
    ("mechanism vtl1 (general path)", [.mechanism(.vtl1), .boot]),
    ("KVM 6.4: guest-owned CR4 bits (general path)", [.kvmVersion(LinuxVersion(6, 4))]),
    (
      "CET on KVM 6.18, WP clear (CET and WP checked)",
      [
        .hostCPUID(.cet, present: true), .kvmVersion(LinuxVersion(6, 18)),
        .hostWrmsr(MSRNumber.cr0PinnedHigh, 0),
        .mov(.cr0, 0x8004_0033),
      ]
    ),
    ("no VMX, no PCID on the CPU", [.hostCPUID(.vmx, present: false), .hostCPUID(.pcid, present: false)]),
    ("long mode off: reset", [.reset]),
  ]

  static func booted(_ setup: [Action]) -> VirtualMachine {
    var vm = VirtualMachine(bootedWith: 3)
    for index in vm.vcpus.indices {
      for action in setup { vm.apply(action, on: index) }
    }
    vm.apply(.hostWrmsr(MSRNumber.cr4PinnedHigh, CR4.smep | CR4.smap), on: 1)
    vm.apply(.hostWrmsr(MSRNumber.cr4PinnedLow, CR4.umip), on: 1)
    vm.apply(.hostWrmsr(MSRNumber.cr4PinnedHigh, 0), on: 2)
    return vm
  }

  @Test("step's verdict and state equal apply's for MOVs to CR4", arguments: setups.indices)
  func stepEqualsApply(setup: Int) {
    let (name, actions) = Self.setups[setup]
    var random = SplitMix64(seed: UInt64(setup) + 11)
    var vm = Self.booted(actions)
    var verdicts: Set<OutcomeKind> = []
    for _ in 0..<600 {
      let index = Int(random.next() % 3)
      let current = vm.vcpus[index].registers.cr4
      let value: UInt64 =
        switch random.next() % 6 {
        case 0: random.next()
        case 1: current ^ (1 << (random.next() % 64))
        case 2: current
        default: current ^ (1 << (random.next() % 25))
        }
      var applied = vm
      let outcome = applied.apply(.mov(.cr4, value), on: index)
      var stepped = vm
      #expect(
        stepped.step(.mov(.cr4, value), on: index) == outcome.kind, "\(name): \(Hex.short(value)) on \(index)"
      )
      #expect(stepped == applied, "\(name): \(Hex.short(value)) on \(index)")
      #expect(outcome.before == vm, "\(name): the outcome's snapshot restores the VM")
      verdicts.insert(outcome.kind)
      vm = applied
    }
    #expect(verdicts.contains(.gp), "\(name): some MOVs fault")
    #expect(verdicts.contains(.ok) || verdicts.contains(.dropped), "\(name): some MOVs go through")
  }

  @Test("the masks step reads are the effective pins of a plain design, kept up to date")
  func plainPinsFollowTheState() {
    var vm = VirtualMachine(bootedWith: 2)
    func check(_ label: String) {
      let plain = vm.designName == KVM2020Pinning.name || vm.designName == NoPinning.name
      for index in vm.vcpus.indices {
        let pins = vm.storage.plainCR4Pins(on: index)
        #expect(vm.storage.hasPlainCR4Pins == plain, "\(label): \(vm.designName)")
        if plain {
          let effective = vm.effectivePins(on: index)
          #expect(pins.high == effective.cr4High && pins.low == effective.cr4Low, "\(label), vCPU \(index)")
        }
      }
    }
    check("booted")
    #expect(vm.effectivePins(on: 0).cr4High != 0)
    #expect(vm.apply(.hostWrmsr(MSRNumber.cr4PinnedHigh, CR4.smep), on: 1).kind == .ok)
    check("a host write shrank vCPU 1's pins")
    #expect(vm.apply(.hostWrmsr(MSRNumber.cr4PinnedHigh, CR4.smep | CR4.smap), on: 0).kind == .ok)
    #expect(vm.apply(.hostWrmsr(MSRNumber.cr4PinnedLow, CR4.umip), on: 0).kind == .ok)
    #expect(vm.effectivePins(on: 0).cr4Low == CR4.umip)
    check("host writes pinned UMIP low on vCPU 0")
    var copy = vm
    copy.apply(.reset, on: 0)
    check("a copy was reset")
    #expect(copy.storage.plainCR4Pins(on: 0).high == 0)
    vm.apply(.mechanism(.heki), on: 0)
    check("heki")
    vm.apply(.mechanism(.kvm2020), on: 0)
    vm.apply(.boot, on: 0)
    check("kvm-2020 again, booted")
    vm.apply(.option(.kvmPin, false), on: 0)
    check("kvm-pin off")
  }

  @Test(
    "a pin-MSR write that changes nothing leaves the design storage shared; one that changes it copies it")
  func unchangedPinWriteSharesStorage() {
    var vm = VirtualMachine(bootedWith: 2)
    let copy = vm
    #expect(vm.step(.wrmsr(MSRNumber.cr4PinnedHigh, 0), on: 0) == .gp, "a guest cannot shrink its pins")
    #expect(vm.apply(.wrmsr(MSRNumber.cr4PinnedHigh, 0x30_0800), on: 1).kind == .ok, "the same pins again")
    #expect(vm.storage.box === copy.storage.box)
    #expect(vm.apply(.hostWrmsr(MSRNumber.cr4PinnedHigh, CR4.smep), on: 1).kind == .ok)
    #expect(vm.storage.box !== copy.storage.box)
    #expect(vm.effectivePins(on: 1).cr4High == CR4.smep)
    #expect(copy.effectivePins(on: 1).cr4High == 0x30_0800)
    #expect(vm.storage.plainCR4Pins(on: 1).high == CR4.smep)
    #expect(copy.storage.plainCR4Pins(on: 1).high == 0x30_0800)
  }

  /// What `plainCR4Gate` sums up, from the properties themselves.
  static func expectedGate(_ vm: VirtualMachine) -> Bool {
    !vm.stopped && vm.options.nonExitingCR4 == 0 && !vm.options.kvmChecksCETAndWP
      && vm.storage.hasPlainCR4Pins
  }

  /// Actions that change what the gate and the refused mask derive from, beside the walk's own
  /// (whose SMRAM edits and RSMs stop the VM, and whose resets and boots restart it).
  static let configurations: [Action] = [
    .kvmVersion(LinuxVersion(5, 9)), .kvmVersion(LinuxVersion(6, 4)), .kvmVersion(LinuxVersion(6, 18)),
    .kvmVersion(.seedBase), .hostCPUID(.smep, present: false), .hostCPUID(.smep, present: true),
    .hostCPUID(.cet, present: true), .hostCPUID(.lam, present: true), .hostCPUID(.cet, present: false),
    .mechanism(.heki), .mechanism(.none), .mechanism(.native), .mechanism(.kvm2020), .option(.kvmPin, false),
    .option(.kvmPin, true), .option(.wpGuestOwned, true), .option(.wpGuestOwned, false),
  ]

  @Test("the fast path's gate and refused mask are what they sum up, after every action")
  func gateFollowsTheState() {
    var rng = SplitMix64(seed: 21)
    var gates: Set<Bool> = []
    var stopped = 0
    for _ in 0..<60 {
      var vm = VirtualMachine(bootedWith: 1)
      for _ in 0..<80 {
        let action =
          rng.next() % 4 == 0
          ? Self.configurations[Int(rng.next() % UInt64(Self.configurations.count))]
          : ActionGenerator.next(for: vm, &rng)
        vm.apply(action, on: 0)
        #expect(vm.plainCR4Gate.isOpen == Self.expectedGate(vm), "after \(action)")
        #expect(
          vm.options.refusedCR4 == ~vm.options.knownCR4 | vm.options.cpu.featureGatedCR4, "after \(action)")
        #expect(vm.plainCR4Gate.refusedCR4 == vm.options.refusedCR4, "after \(action)")
        #expect(vm.plainCR4Gate.cpuFeatures == vm.options.cpu.features.rawValue, "after \(action)")
        gates.insert(vm.plainCR4Gate.isOpen)
        if vm.stopped { stopped += 1 }
      }
    }
    #expect(gates == [false, true] && stopped > 0, "the walks open and close the gate, and stop the VM")
  }

  @Test("the fast path's literal bits are the named ones")
  func plainBits() {
    #expect(PlainBits.pae == CR4.pae && PlainBits.vmxe == CR4.vmxe && PlainBits.pcide == CR4.pcide)
    #expect(PlainBits.eferLMA == EFERBits.lma)
    #expect(PlainBits.cr3PCID == CR3.pcid)
    #expect(PlainBits.pcidFeature == CPUFeatureSet.pcid.rawValue)
    #expect(PlainBits.vmxFeature == CPUFeatureSet.vmx.rawValue)
  }

  @Test("an outcome of a MOV or an RDMSR gives back the exact VM before it, and its changes")
  func registersSnapshot() {
    var vm = VirtualMachine(bootedWith: 2)
    let actions: [Action] = [
      .mov(.cr4, 0x36_0ef0 & ~CR4.smep), .mov(.cr4, 0x36_0ef0 | CR4.pke), .mov(.cr3, 0x1000),
      .mov(.cr0, 0x8005_0033), .rdmsr(MSRNumber.cr4PinnedHigh), .hostRdmsr(MSRNumber.cr0PinnedHigh),
      .rdmsr(0x1234),
    ]
    for action in actions {
      for index in vm.vcpus.indices {
        let before = vm
        let outcome = vm.apply(action, on: index)
        #expect(outcome.before == before, "\(action) on \(index)")
        #expect(outcome.after == vm, "\(action) on \(index)")
        #expect(outcome.changes == Change.between(before, vm), "\(action) on \(index)")
        var visited: [Change] = []
        outcome.visitChanges { vcpu, field, old, new in
          visited.append(Change(vcpu: vcpu, what: field, old: old.text, new: new.text))
        }
        #expect(visited == Change.between(before, vm), "visitChanges: \(action) on \(index)")
      }
    }
    var reset = VirtualMachine(resetWith: 1)
    let outcome = reset.apply(.mov(.cr3, 0x2000), on: 0)
    #expect(outcome.before.vcpus[0].hasRunSinceReset == false)
    #expect(reset.vcpus[0].hasRunSinceReset)
  }
}
