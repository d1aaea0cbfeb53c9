import Testing

@testable import Engine

/// `BitVersionFacts`, the per-bit view of the version facts the TUI and `crpin explain` show.
@Suite("bit version facts")
struct BitVersionFactsTests {
  static let kvms = [(5, 8), (5, 9), (5, 10), (6, 4), (6, 8), (6, 18), (7, 0)].map {
    LinuxVersion($0.0, $0.1)
  }
  static let kernels = [(5, 3), (5, 7), (5, 8), (5, 9), (5, 18), (6, 9)].map { LinuxVersion($0.0, $0.1) }

  @Test("at KVM 5.8 a catalogued CR4 bit is known exactly when the bit table says so")
  func knownAtBase() {
    for bit in BitCatalog.cr4 {
      let facts = BitVersionFacts(.cr4, mask: bit.mask, kernel: .seedBase, kvm: .seedBase)
      #expect(facts.knownToKVM == bit.knownToKVM, "\(bit.qualifiedName)")
    }
  }

  @Test("known, guest-owned and native mask agree with HostKVMFacts and GuestKernelFacts", arguments: kvms)
  func agree(kvm: LinuxVersion) {
    for kernel in Self.kernels {
      for index in 0..<64 {
        let mask = UInt64(1) << UInt64(index)
        let cr4 = BitVersionFacts(.cr4, mask: mask, kernel: kernel, kvm: kvm)
        #expect(cr4.knownToKVM == (HostKVMFacts(kvm).knownCR4 & mask != 0))
        #expect(cr4.guestOwned == (HostKVMFacts(kvm).guestOwnedCR4 & mask != 0))
        #expect(cr4.inNativeMask == (GuestKernelFacts(kernel).nativeCR4Mask & mask != 0))
        let cr0 = BitVersionFacts(.cr0, mask: mask, kernel: kernel, kvm: kvm)
        #expect(cr0.guestOwned == (HostKVMFacts(kvm).guestOwnedCR0() & mask != 0))
        #expect(cr0.inNativeMask == (mask == CR0.wp))
      }
    }
  }

  @Test("native pins: to the boot value from 5.8; before, a bit clear at boot is not pinned")
  func nativePin() {
    let pins = CR4.smep | CR4.smap | CR4.umip  // FSGSBASE clear at boot
    let on58 = BitVersionFacts(.cr4, mask: CR4.fsgsbase, kernel: .seedBase, kvm: .seedBase)
    #expect(on58.nativePin(bootPins: pins) == .pinned(to: false))
    #expect(on58.nativePin(bootPins: nil) == .off)
    let smep57 = BitVersionFacts(.cr4, mask: CR4.smep, kernel: LinuxVersion(5, 7), kvm: .seedBase)
    #expect(smep57.nativePin(bootPins: pins) == .pinned(to: true))
    #expect(smep57.nativePin(bootPins: 0) == .clearNotPinned)
    let fsgsbase57 = BitVersionFacts(.cr4, mask: CR4.fsgsbase, kernel: LinuxVersion(5, 7), kvm: .seedBase)
    #expect(fsgsbase57.nativePin(bootPins: pins) == .notInMask)
    let wp = BitVersionFacts(.cr0, mask: CR0.wp, kernel: .seedBase, kvm: .seedBase)
    #expect(wp.nativePin(bootPins: pins) == .pinned(to: true))
  }

  @Test("wp-guest-owned forces WP and TS on any KVM; vtl1 has no KVM guest-owned bits")
  func options() {
    var options = VMOptions()
    options.wpGuestOwned = true
    let forced = BitVersionFacts(.cr0, mask: CR0.wp, options: options)
    #expect(forced.guestOwned)
    #expect(forced.guestOwnedSource.hasPrefix("option wp-guest-owned"))
    options.wpGuestOwned = false
    options.kvm = LinuxVersion(6, 4)
    #expect(BitVersionFacts(.cr0, mask: CR0.wp, options: options).guestOwnedSource.hasPrefix("fb509f76acc8"))
    options.mechanism = .vtl1
    #expect(!BitVersionFacts(.cr0, mask: CR0.wp, options: options).guestOwned)
  }

  @Test("every fact line has a source; the mode line's label says rebased only for the patch off 5.8")
  func linesAndLabel() {
    for index in 0..<33 {
      let facts = BitVersionFacts(
        .cr4, mask: 1 << UInt64(index), kernel: LinuxVersion(6, 9), kvm: LinuxVersion(6, 18))
      for line in facts.lines(bootPins: CR4.smep) { #expect(!line.source.isEmpty && !line.claim.isEmpty) }
    }
    var options = VMOptions()
    #expect(options.versionsLabel == "kernel 5.8 · kvm 5.8")
    options.kvm = LinuxVersion(6, 4)
    #expect(options.versionsLabel == "kernel 5.8 · kvm 6.4 (patch rebased)")
    options.mechanism = .heki
    #expect(options.versionsLabel == "kernel 5.8 · kvm 6.4")
    options.mechanism = .kvmRFC2
    options.kvmPin = false
    #expect(!options.patchRunsRebased)
  }
}
