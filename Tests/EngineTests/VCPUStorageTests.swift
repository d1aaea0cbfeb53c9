@testable import Engine
import SeededRandom
import Testing

/// How a VM keeps its vCPUs (`VCPUs`: CR4 inline, the rest in an array) and its options
/// (`MachineStorage`: one shared reference, with the design state): read and written as before, compared by value,
/// copied as values.
@Suite("vCPU and options storage")
struct VCPUStorageTests {
  /// The layout's invariant: the array holds every CR4 at 0, the inline words past the last
  /// vCPU are 0 (so that equal vCPUs are equal storage), and each read gives the vCPU's CR4.
  static func holdsItsLayout(_ vcpus: VCPUs) -> Bool {
    vcpus.rest.allSatisfy { $0.registers.cr4 == 0 }
      && (vcpus.count..<CR4Words.capacity).allSatisfy { vcpus.cr4s[$0] == 0 }
      && vcpus.indices.allSatisfy { vcpus[$0].registers.cr4 == vcpus.cr4s[$0] }
  }

  @Test("a vCPU is read with its CR4 and written back whole, in place or at once", arguments: [1, 3, 8])
  func readsAndWrites(count: Int) {
    #expect(CR4Words.capacity == VirtualMachine.maxVCPUs, "every vCPU a VM may have has its word")
    var vcpus = VCPUs(Array(repeating: VCPU(), count: count))
    for index in vcpus.indices {
      vcpus[index].registers.cr4 = 0x1000 + UInt64(index)
      vcpus[index].registers.cr0 = 0x8000_0000 | UInt64(index)
    }
    #expect(Self.holdsItsLayout(vcpus))
    #expect(vcpus.map(\.registers.cr4) == (0..<count).map { 0x1000 + UInt64($0) })
    #expect(vcpus.map(\.registers.cr0) == (0..<count).map { 0x8000_0000 | UInt64($0) })
    var whole = vcpus[count - 1]
    whole.registers.cr4 = 0x20
    whole.eflagsAC = true
    vcpus[count - 1] = whole
    #expect(vcpus[count - 1] == whole && Self.holdsItsLayout(vcpus))
    #expect(VCPUs(Array(vcpus)) == vcpus, "built from its own elements, the same storage")
    vcpus[registersOf: count - 1] = Registers(cr0: 0x11, cr3: 0x22, cr4: 0x33, efer: 0x44)
    #expect(vcpus[count - 1].registers == Registers(cr0: 0x11, cr3: 0x22, cr4: 0x33, efer: 0x44))
    #expect(vcpus[registersOf: count - 1] == vcpus[count - 1].registers && Self.holdsItsLayout(vcpus))
    vcpus[cr4Of: 0] = 0x40
    #expect(vcpus[0].registers.cr4 == 0x40 && vcpus[cr4Of: 0] == 0x40 && Self.holdsItsLayout(vcpus))
  }

  @Test("equal vCPUs are equal and hash alike, whatever path set their CR4")
  func equalByValue() {
    var stepped = VirtualMachine(bootedWith: 2)
    var applied = stepped
    #expect(stepped.step(.mov(.cr4, 0x36_0e70), on: 1) == .ok)
    #expect(applied.apply(.mov(.cr4, 0x36_0e70), on: 1).kind == .ok)
    #expect(stepped == applied && stepped.hashValue == applied.hashValue)
    #expect(stepped.vcpus == applied.vcpus && Self.holdsItsLayout(stepped.vcpus))
    var other = applied
    other.vcpus[0].registers.cr4 ^= CR4.smep
    #expect(other.vcpus != applied.vcpus && other != applied)
  }

  @Test("a copy keeps its vCPUs and options when the original changes")
  func copiesAreValues() {
    var vm = VirtualMachine(bootedWith: 2)
    let copy = vm
    #expect(vm.storage.box === copy.storage.box, "a copy shares the options")
    #expect(vm.step(.mov(.cr4, 0x36_0e70), on: 0) == .ok)
    vm.apply(.kvmVersion(LinuxVersion(6, 4)), on: 0)
    #expect(vm.storage.box !== copy.storage.box, "a change copies them first")
    #expect(copy.vcpus[0].registers.cr4 == 0x36_0ef0 && vm.vcpus[0].registers.cr4 == 0x36_0e70)
    #expect(copy.options.kvm == .seedBase && vm.options.kvm == LinuxVersion(6, 4))
  }

  @Test("random walks keep the layout on every vCPU")
  func walksKeepTheLayout() {
    var rng = SplitMix64(seed: 14)
    for count in [1, 4, 8] {
      var vm = VirtualMachine(bootedWith: count)
      for _ in 0..<400 {
        let index = Int(rng.next() % UInt64(count))
        let action = ActionGenerator.next(for: vm, &rng)
        if rng.next() % 2 == 0 { _ = vm.step(action, on: index) } else { vm.apply(action, on: index) }
        #expect(Self.holdsItsLayout(vm.vcpus), "after \(action) on vCPU \(index)")
      }
    }
  }
}
