import Engine
import Testing

/// The version facts tables (docs/versions.md): each change point, and the version between two
/// change points behaving as the earlier one.
@Suite("version facts: guest kernel and host KVM")
struct VersionFactsTests {
  @Test(
    "MAJOR.MINOR parses; anything else is refused",
    arguments: [
      ("5.8", "5.8"), ("6.10", "6.10"), ("5.8.1", nil), ("5", nil), ("5.x", nil), ("", nil), ("-5.8", nil),
    ]
      as [(String, String?)])
  func parsing(text: String, expected: String?) {
    #expect(LinuxVersion(text)?.description == expected)
  }

  @Test("the largest version the parser takes round-trips; a programmatic one out of range is clamped")
  func range() throws {
    let largest = try #require(LinuxVersion("999.999"))
    #expect(largest.description == "999.999" && largest > LinuxVersion(998, 999))
    #expect(LinuxVersion(-1, 70_000) == LinuxVersion(0, 65_535))
  }

  @Test("6.10 is after 6.9 (numeric, not textual)")
  func ordering() {
    #expect(LinuxVersion(6, 9) < LinuxVersion(6, 10))
    #expect(LinuxVersion(5, 18) > LinuxVersion(5, 9))
  }

  @Test(
    "native pinning's CR4 mask by kernel version",
    arguments: [
      (LinuxVersion(5, 2), UInt64(0)),
      (LinuxVersion(5, 3), CR4.smep | CR4.smap | CR4.umip),
      (LinuxVersion(5, 7), CR4.smep | CR4.smap | CR4.umip),
      (LinuxVersion(5, 8), CR4.smep | CR4.smap | CR4.umip | CR4.fsgsbase),
      (LinuxVersion(5, 17), CR4.smep | CR4.smap | CR4.umip | CR4.fsgsbase),
      (LinuxVersion(5, 18), CR4.smep | CR4.smap | CR4.umip | CR4.fsgsbase | CR4.cet),
      (LinuxVersion(6, 9), CR4.smep | CR4.smap | CR4.umip | CR4.fsgsbase | CR4.cet | CR4.fred),
      (LinuxVersion(6, 19), CR4.smep | CR4.smap | CR4.umip | CR4.fsgsbase | CR4.cet | CR4.fred),
    ])
  func nativeMask(version: LinuxVersion, mask: UInt64) {
    #expect(GuestKernelFacts(version).nativeCR4Mask == mask)
    #expect(GuestKernelFacts(version).nativeCR0Mask == (mask == 0 ? 0 : CR0.wp))
  }

  @Test("the warning text: 5.3-5.7 'went missing' without 0x, 5.8 on 'pinned CR4 bits changed: 0x…'")
  func warnings() {
    #expect(
      GuestKernelFacts(LinuxVersion(5, 7)).cr4Warning(changed: 0x10_0000) == "CR4 bits went missing: 100000!?"
    )
    #expect(
      GuestKernelFacts(LinuxVersion(5, 8)).cr4Warning(changed: 0x10_0000)
        == "pinned CR4 bits changed: 0x100000!?")
    #expect(!GuestKernelFacts(LinuxVersion(5, 7)).pinsToBootValue)
    #expect(GuestKernelFacts(LinuxVersion(5, 8)).pinsToBootValue)
  }

  @Test("boot sets FSGSBASE from 5.9 on")
  func fsgsbaseAtBoot() {
    #expect(!GuestKernelFacts(LinuxVersion(5, 8)).bootSetsFSGSBASE)
    #expect(GuestKernelFacts(LinuxVersion(5, 9)).bootSetsFSGSBASE)
  }

  @Test(
    "guest-owned bits on VMX by KVM version",
    arguments: [
      (
        LinuxVersion(5, 8), CR0.ts,
        CR4.pvi | CR4.de | CR4.pce | CR4.osfxsr | CR4.osxmmexcpt | CR4.la57 | CR4.pge
      ),
      (
        LinuxVersion(5, 9), CR0.ts,
        CR4.pvi | CR4.de | CR4.pce | CR4.osfxsr | CR4.osxmmexcpt | CR4.la57 | CR4.pge | CR4.tsd
      ),
      (
        LinuxVersion(5, 10), CR0.ts,
        CR4.pvi | CR4.de | CR4.pce | CR4.osfxsr | CR4.osxmmexcpt | CR4.fsgsbase | CR4.pge | CR4.tsd
      ),
      (
        LinuxVersion(6, 4), CR0.ts | CR0.wp,
        CR4.pvi | CR4.de | CR4.pce | CR4.osfxsr | CR4.osxmmexcpt | CR4.fsgsbase | CR4.pge | CR4.tsd
      ),
      (
        LinuxVersion(6, 18), CR0.ts | CR0.wp,
        CR4.pvi | CR4.de | CR4.pce | CR4.osfxsr | CR4.osxmmexcpt | CR4.fsgsbase | CR4.pge | CR4.tsd | CR4.cet
      ),
    ])
  func guestOwned(version: LinuxVersion, cr0: UInt64, cr4: UInt64) {
    let facts = HostKVMFacts(version)
    #expect(facts.guestOwnedCR0() == cr0)
    #expect(facts.guestOwnedCR0(ept: false) == CR0.ts)
    #expect(facts.guestOwnedCR4 == cr4)
  }

  @Test("known CR4 bits: LAM_SUP from 6.8, CET from 6.18; FRED, LASS, PKS, KL never")
  func knownBits() {
    #expect(HostKVMFacts(LinuxVersion(5, 8)).knownCR4 == CR4.knownToKVM)
    #expect(HostKVMFacts(LinuxVersion(6, 8)).knownCR4 == CR4.knownToKVM | CR4.lamSup)
    #expect(HostKVMFacts(LinuxVersion(6, 18)).knownCR4 == CR4.knownToKVM | CR4.lamSup | CR4.cet)
    for bit in [CR4.fred, CR4.lass, CR4.pks, CR4.kl, CR4.uintr] {
      #expect(HostKVMFacts(LinuxVersion(6, 19)).knownCR4 & bit == 0)
    }
  }

  @Test("the patch is rebased everywhere but 5.8; RSM failure shuts down from 5.14; CET/WP checks from 6.18")
  func hostChangePoints() {
    #expect(!HostKVMFacts(.seedBase).patchIsRebased)
    #expect(HostKVMFacts(LinuxVersion(6, 4)).patchIsRebased)
    #expect(!HostKVMFacts(LinuxVersion(5, 13)).failedRSMShutsDown)
    #expect(HostKVMFacts(LinuxVersion(5, 14)).failedRSMShutsDown)
    #expect(!HostKVMFacts(LinuxVersion(6, 17)).checksCETAndWP)
    #expect(HostKVMFacts(LinuxVersion(6, 18)).checksCETAndWP)
    #expect(!HostKVMFacts(LinuxVersion(7, 0)).isCovered)
  }
}
