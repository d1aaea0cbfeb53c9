/// A VM's vCPUs, indexed from 0: a collection of `VCPU` values, laid out so that a guest's
/// MOV to CR4 is stored without asking whether a copy-on-write buffer is shared.
///
/// Every vCPU's fields but CR4 sit in a copy-on-write array (`rest`, with CR4 held at 0 there);
/// every vCPU's CR4 sits in `cr4s`, eight words kept inline, so in the `VirtualMachine` itself.
/// Reading a vCPU puts its CR4 back in; writing one takes it out again. `step`'s plain path
/// (`VirtualMachine.plainMovCR4`) reads `rest` and stores into `cr4s` alone: a store into the
/// VM's own bytes, as the C reference stores into its struct, where a store into the array
/// would call the runtime to ask whether the buffer is shared (docs/performance.md, "The
/// twelfth session", gives the measured cost of each layout).
public struct VCPUs: RandomAccessCollection, MutableCollection, Equatable, Hashable, Sendable {
  /// Every vCPU with its CR4 at 0: `cr4s` holds the CR4s.
  @usableFromInline var rest: [VCPU]
  /// CR4 of vCPU `i` at `i`; 0 past the last vCPU, so that equal collections are equal here.
  @usableFromInline var cr4s: CR4Words

  /// `vcpus`, each keeping its own CR4.
  init(_ vcpus: [VCPU]) {
    precondition(vcpus.count <= CR4Words.capacity, "a VM has at most 8 vCPUs")
    cr4s = CR4Words()
    rest = vcpus
    for index in vcpus.indices {
      cr4s[index] = vcpus[index].registers.cr4
      rest[index].registers.cr4 = 0
    }
  }

  /// 0.
  @inlinable public var startIndex: Int { 0 }
  /// The number of vCPUs.
  @inlinable public var endIndex: Int { rest.count }

  /// vCPU `index`, with its CR4.
  @inlinable public subscript(index: Int) -> VCPU {
    get {
      var vcpu = rest[index]
      vcpu.registers.cr4 = cr4s[index]
      return vcpu
    }
    // In place: CR4 goes into the array's element for the access and comes out after it.
    _modify {
      rest[index].registers.cr4 = cr4s[index]
      defer {
        cr4s[index] = rest[index].registers.cr4
        rest[index].registers.cr4 = 0
      }
      yield &rest[index]
    }
  }
}

extension VCPUs {
  /// vCPU `index`'s CR4 alone, read and written in the VM's own bytes (no copy-on-write
  /// question for a write).
  @inlinable subscript(cr4Of index: Int) -> UInt64 {
    get {
      precondition(indices.contains(index), "no vCPU \(index)")
      return cr4s[index]
    }
    set {
      precondition(indices.contains(index), "no vCPU \(index)")
      cr4s[index] = newValue
    }
  }

  /// vCPU `index`'s four registers, written with one access to the array (CR4 inline).
  @inlinable subscript(registersOf index: Int) -> Registers {
    get { self[index].registers }
    set {
      var rest = newValue
      rest.cr4 = 0
      self.rest[index].registers = rest
      cr4s[index] = newValue.cr4
    }
  }
}

/// The CR4 of each of up to eight vCPUs, stored inline (`VCPUs.cr4s`).
@usableFromInline
struct CR4Words: Hashable, Sendable {
  /// How many vCPUs' CR4 fit: `VirtualMachine.maxVCPUs`.
  @usableFromInline static let capacity = 8
  /// The words.
  @usableFromInline var words = InlineArray<8, UInt64>(repeating: 0)

  /// Eight zeros.
  init() {}

  /// Word `index` (0...7).
  @inlinable subscript(index: Int) -> UInt64 {
    @inline(__always) get { words[index] }
    @inline(__always) set { words[index] = newValue }
  }

  @usableFromInline static func == (lhs: CR4Words, rhs: CR4Words) -> Bool {
    lhs.words.indices.allSatisfy { lhs.words[$0] == rhs.words[$0] }
  }

  @usableFromInline func hash(into hasher: inout Hasher) {
    for index in words.indices { hasher.combine(words[index]) }
  }
}
