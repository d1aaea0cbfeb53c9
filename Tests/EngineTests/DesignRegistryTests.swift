import Engine
import Testing

/// The registry: every registered design is a mechanism whose VM runs that design, with one
/// state part per vCPU, and the engine reaches it only through the registry.
@Suite("design registry")
struct DesignRegistryTests {
  @Test(
    "each mechanism's VM runs its design (kvm-pin off: none for the KVM patch's designs)",
    arguments: Mechanism.allCases)
  func designInForce(mechanism: Mechanism) {
    var options = VMOptions()
    options.mechanism = mechanism
    let vm = VirtualMachine(resetWith: 3, options: options)
    #expect(vm.designName == (mechanism.design?.name ?? "none"))
    #expect(vm.hasHypervisorPinning == (mechanism.design != nil))
    options.kvmPin = false
    let withoutPatch = VirtualMachine(resetWith: 3, options: options)
    let patchOnly = mechanism == .kvm2020 || mechanism == .kvmRFC2
    #expect(withoutPatch.hasHypervisorPinning == (mechanism.design != nil && !patchOnly))
  }

  @Test("a mechanism's name round-trips, and a typo is no mechanism")
  func names() {
    for mechanism in Mechanism.allCases { #expect(Mechanism(rawValue: mechanism.rawValue) == mechanism) }
    #expect(Mechanism(rawValue: "kvm2020") == nil)
    #expect(Set(Mechanism.allCases.map(\.rawValue)).count == Mechanism.allCases.count)
  }

  @Test("kvm-pin off and on again starts the design fresh; switching clears every design's state")
  func freshOnSwitch() {
    var vm = VirtualMachine(bootedWith: 1)
    #expect(vm.effectivePins(on: 0).cr4High != 0)
    vm.apply(.option(.kvmPin, false), on: 0)
    #expect(vm.designName == "none")
    vm.apply(.option(.kvmPin, true), on: 0)
    #expect(vm.designName == "kvm-2020" && vm.effectivePins(on: 0) == .none)
  }

  @Test("a copy of a VM keeps its design state when the original's pins change (copy on write)")
  func copiesKeepTheirDesignState() {
    var vm = Fixture.unpinned
    let copy = vm
    let outcome = vm.apply(.wrmsr(MSRNumber.cr4PinnedHigh, CR4.smep), on: 0)
    #expect(outcome.kind == .ok)
    #expect(vm.effectivePins(on: 0).cr4High == CR4.smep)
    #expect(copy.effectivePins(on: 0).cr4High == 0)
    #expect(outcome.before.effectivePins(on: 0).cr4High == 0)
    #expect(vm != copy && outcome.before == copy && outcome.after == vm)
    // Equal states kept apart compare equal: equality looks inside, not only at the reference.
    var twin = copy
    twin.apply(.wrmsr(MSRNumber.cr4PinnedHigh, CR4.smep), on: 0)
    #expect(twin == vm)
  }
}
