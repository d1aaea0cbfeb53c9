import Engine
import Testing

/// Properties that hold over thousands of seeded random action sequences.
@Suite("properties")
struct PropertyTests {
  /// Whether `register` of `registers` keeps every pin.
  static func keepsPins(_ register: PinnableRegister, _ registers: Registers, _ pins: PinMasks) -> Bool {
    let value = register == .cr0 ? registers.cr0 : registers.cr4
    return value & pins.high(register) == pins.high(register) && value & pins.low(register) == 0
  }

  @Test(
    "outside SMM and L2, a guest write that succeeds never clears a pinned-high bit or sets a pinned-low one")
  func guestCannotBreakPins() {
    var checked = 0
    ActionGenerator.walk(seed: 1) { before, action, outcome in
      let vcpu = before.vcpus[0]
      guard outcome.kind == .ok, !vcpu.inSMM, !vcpu.inL2 else { return }
      let register: PinnableRegister
      switch action {
      case .mov(.cr0, _), .kernelWrite(.cr0, _): register = .cr0
      case .mov(.cr4, _), .kernelWrite(.cr4, _): register = .cr4
      default: return
      }
      checked += 1
      #expect(
        Self.keepsPins(register, outcome.after.vcpus[0].registers, before.effectivePins(on: 0)),
        "\(action)")
    }
    #expect(checked > 100)
  }

  @Test("guest MSR writes only ever grow the pins")
  func guestOnlyGrows() {
    ActionGenerator.walk(seed: 2) { before, action, outcome in
      guard case .wrmsr = action else { return }
      let old = before.effectivePins(on: 0)
      let new = outcome.after.effectivePins(on: 0)
      #expect(old.cr0High & ~new.cr0High == 0 && old.cr0Low & ~new.cr0Low == 0)
      #expect(old.cr4High & ~new.cr4High == 0 && old.cr4Low & ~new.cr4Low == 0)
    }
  }

  @Test("host MSR writes can shrink the pins, and do whenever they succeed with fewer bits")
  func hostCanShrink() {
    var shrank = 0
    ActionGenerator.walk(seed: 3) { before, action, outcome in
      guard case .hostWrmsr(let msr, let value) = action, outcome.kind == .ok else { return }
      let new = outcome.after.effectivePins(on: 0)
      switch msr {
      case MSRNumber.cr4PinnedHigh: #expect(new.cr4High == value)
      case MSRNumber.cr4PinnedLow: #expect(new.cr4Low == value)
      case MSRNumber.cr0PinnedHigh: #expect(new.cr0High == value)
      case MSRNumber.cr0PinnedLow: #expect(new.cr0Low == value)
      default: return
      }
      let old = before.effectivePins(on: 0)
      if old.cr0High & ~new.cr0High != 0 || old.cr4High & ~new.cr4High != 0
        || old.cr0Low & ~new.cr0Low != 0 || old.cr4Low & ~new.cr4Low != 0
      {
        shrank += 1
      }
    }
    #expect(shrank > 0, "the walk exercised host writes that removed pins")
  }

  @Test("preview always equals apply")
  func previewEqualsApply() {
    ActionGenerator.walk(seed: 4, count: 100) { before, action, outcome in
      #expect(before.preview(action, on: 0) == outcome)
      #expect(outcome.before == before, "the outcome's snapshot restores the exact VM")
    }
  }

  /// Every design and every option `step`'s checks branch on, armed as a guest boot arms it.
  static let stepSetups: [[Action]] = [
    [],
    [.mechanism(.kvmRFC2), .boot],
    [.mechanism(.heki), .boot],
    [.mechanism(.vtl1), .boot],
    [.mechanism(.vtl1), .boot, .vtl1Policy(.gp)],
    [.mechanism(.vtl1), .boot, .vtl1Policy(.allow)],
    [.mechanism(.native), .boot],
    [.option(.kvmPin, false)],
    [.option(.wpGuestOwned, true)],
    [.option(.allowedWritable, true)],
    [.option(.initKeepsPins, true)],
    [.option(.cpuidPin, false)],
    [.option(.cpuidPin, false), .option(.enforcePVCPUID, true)],
    [.kernelVersion(LinuxVersion(5, 7))],
    [.kvmVersion(LinuxVersion(6, 4))],
    [.kernelVersion(LinuxVersion(5, 9)), .kvmVersion(LinuxVersion(5, 10)), .mechanism(.heki), .boot],
    [.hostCPUID(.cet, present: true), .kvmVersion(LinuxVersion(6, 18)), .kernelVersion(LinuxVersion(6, 9))],
    [.hostCPUID(.lam, present: true), .kvmVersion(LinuxVersion(7, 0))],
  ]

  @Test(
    "step decides exactly what apply decides, with the same change of state",
    arguments: stepSetups)
  func stepEqualsApply(setup: [Action]) {
    ActionGenerator.walk(seed: 7, count: 40, setup: setup) { before, action, outcome in
      var stepped = before
      #expect(stepped.step(action, on: 0) == outcome.kind, "\(action)")
      #expect(stepped == outcome.after, "\(action)")
    }
  }

  @Test("reset always clears the pins and returns to the architectural values")
  func resetClears() {
    ActionGenerator.walk(seed: 5, count: 100) { before, _, _ in
      var vm = before
      let outcome = vm.apply(.reset, on: 0)
      #expect(outcome.kind == .ok)
      #expect(vm.effectivePins(on: 0) == .none)
      #expect(vm.vcpus[0].registers == .reset)
      #expect(!vm.stopped)
    }
  }

  @Test(
    "a refused action changes nothing, except a failed RSM or boot and a kernel write whose restore faulted")
  func refusedChangesNothing() {
    ActionGenerator.walk(seed: 6) { before, action, outcome in
      guard outcome.kind != .ok, action != .rsm, action != .boot else { return }
      // native_write_crN's first mov may succeed before its restore faults.
      if case .kernelWrite = action, outcome.steps.first?.kind == .ok { return }
      #expect(outcome.changes.isEmpty, "\(action) → \(outcome.kind)")
    }
  }
}
