import Engine
import Foundation
import Testing

@testable import Script

/// `crpin explain cr0|cr4 VALUE --kernel X --kvm Y` and `--from` with versions (issue 16): the
/// bits known or reserved for the chosen KVM, natively pinned by the chosen kernel, guest-owned.
@Suite("explain: versions")
struct ExplainVersionsTests {
  private func versions(kernel: (Int, Int)? = nil, kvm: (Int, Int)? = nil) -> ExplainVersions {
    ExplainVersions(
      kernel: kernel.map { LinuxVersion($0.0, $0.1) }, kvm: kvm.map { LinuxVersion($0.0, $0.1) })
  }

  @Test("without --kernel/--kvm the text is as it was; explicit 5.8/5.8 adds the version lines")
  func defaults() {
    for register in PinnableRegister.allCases {
      let value: UInt64 = register == .cr0 ? 0x8005_0033 : 0x360ef0
      let plain = Explain.register(register, value: value)
      #expect(plain == Explain.register(register, value: value, versions: .default))
      #expect(!plain.contains("versions:"))
      let explicit = Explain.register(register, value: value, versions: versions(kernel: (5, 8), kvm: (5, 8)))
      #expect(explicit.contains("  versions: guest Linux 5.8, host KVM 5.8\n"))
      #expect(explicit.contains("Linux 5.8 / KVM 5.8: known"))
      #expect(!explicit.contains("rebased"))
    }
  }

  @Test("CR0.WP on KVM 6.4 is guest-owned (fb509f76acc8), on 5.10 not; the patch is a rebase")
  func wp() {
    let on64 = Explain.register(.cr0, value: 0x8005_0033, versions: versions(kvm: (6, 4)))
    #expect(on64.contains("host KVM 6.4 (the 2020 patch is 5.8-based: its pin check is shown as if rebased)"))
    #expect(on64.contains("pinned natively to 1 (its boot value); guest-owned on VMX"))
    #expect(on64.contains("fb509f76acc8"))
    let on510 = Explain.register(.cr0, value: 0x8005_0033, versions: versions(kvm: (5, 10)))
    #expect(!on510.contains("guest-owned on VMX: a write changing only it never reaches kvm_set_cr0"))
  }

  @Test(
    "CET is reserved for KVM 5.8 and known to 6.18; LAM_SUP known from 6.8",
    arguments: [(5, 8), (6, 8), (6, 18)])
  func knownBits(kvm: (Int, Int)) {
    let chosen = versions(kvm: kvm)
    let explained = Explain.explained(.cr4, value: CR4.cet | CR4.lamSup, versions: chosen)
    let version = LinuxVersion(kvm.0, kvm.1)
    #expect(explained.reserved.contains { $0.hasPrefix("CET") } == (version < LinuxVersion(6, 18)))
    #expect(explained.reserved.contains("bit 28 (0x10000000)") == (version < LinuxVersion(6, 8)))
    #expect(explained.text.contains("reserved for KVM \(version): ") == (version < LinuxVersion(6, 18)))
    if version >= LinuxVersion(6, 8) {
      #expect(explained.text.contains("LAM_SUP    known to KVM \(version)"))
    }
  }

  @Test("FSGSBASE: in 5.8's native mask, pinned to its boot value; not in 5.3's")
  func fsgsbase() {
    let on58 = Explain.register(.cr4, value: 0x370ef0, versions: versions(kernel: (5, 8)))
    #expect(on58.contains("pinned natively to 0 (its boot value)"))
    #expect(on58.contains("a13b9d0b9721"))
    #expect(
      on58.contains(
        "native (Linux 5.8): changes pinned CR4.FSGSBASE (bit 16, 0x10000) — native_write_cr4() puts it back "
          + "and warns `pinned CR4 bits changed: 0x10000!?`"))
    let on53 = Explain.register(.cr4, value: 0x370ef0, versions: versions(kernel: (5, 3)))
    #expect(!on53.contains("native (Linux 5.3)"))
    #expect(on53.contains("FSGSBASE") && on53.contains("known; not pinned natively"))
  }

  @Test("5.3-5.7 put back only missing bits, with the old warning text")
  func oldWarning() {
    let text = Explain.register(.cr4, value: 0x260ef0, versions: versions(kernel: (5, 7)))
    #expect(text.contains("warns `CR4 bits went missing: 100000!?`"))
  }

  @Test("--from: the dump's CR0/CR4 under the chosen versions; JSON reserved follows the KVM")
  func fromDump() {
    let dump = RegisterDump(
      scanning: "CR0: 0000000080050033 CR2: 0 CR3: 000000000b41c000 CR4: 0000000000b60ef0")
    let text = Explain.dumpText(dump, versions: versions(kvm: (6, 18)))
    #expect(text.contains("versions: guest Linux 5.8, host KVM 6.18"))
    #expect(!Explain.dumpText(dump).contains("versions:"))
    let old = Explain.explained(dump).first { $0.register.register == .cr4 }?.register.reserved
    let new = Explain.explained(dump, versions: versions(kvm: (6, 18))).first {
      $0.register.register == .cr4
    }?
    .register.reserved
    #expect(old == ["CET (bit 23, 0x800000)"])
    #expect(new == [])
  }

  @Test("a version past 6.19 is explained as 6.19, and says so")
  func pastFacts() {
    let text = Explain.register(.cr4, value: 0x360ef0, versions: versions(kvm: (7, 2)))
    #expect(text.contains("crpin's facts end at 6.19: what changed since is undecided"))
  }

  @Test("the CLI: --kernel/--kvm parsed and checked")
  func cli() throws {
    let ok = try BuiltBinary.run(
      ["explain", "cr4", "0x360ef0", "--kernel", "5.9", "--kvm", "6.4"], stdin: "")
    #expect(ok.status == 0)
    #expect(ok.out.contains("versions: guest Linux 5.9, host KVM 6.4"))
    let plain = try BuiltBinary.run(["explain", "cr4", "0x360ef0"], stdin: "")
    #expect(plain.out == Explain.register(.cr4, value: 0x360ef0) + "\n")
    let oldKVM = try BuiltBinary.run(["explain", "cr4", "0", "--kvm", "5.7"], stdin: "")
    #expect(oldKVM.status == 2)
    #expect(oldKVM.err.contains("crpin's KVM facts start at 5.8"))
    let oldKernel = try BuiltBinary.run(["explain", "cr4", "0", "--kernel", "4.19"], stdin: "")
    #expect(oldKernel.status == 2)
    #expect(oldKernel.err.contains("option native-pin off"))
    let notVersion = try BuiltBinary.run(["explain", "cr0", "0", "--kernel", "5.8.1"], stdin: "")
    #expect(notVersion.err.contains("is not a version: write MAJOR.MINOR"))
    let cr3 = try BuiltBinary.run(["explain", "cr3", "0", "--kvm", "6.4"], stdin: "")
    #expect(cr3.status == 2)
    let dump = try BuiltBinary.run(
      ["explain", "--from", "-", "--kvm", "6.4"], stdin: "CR4: 0000000000360ef0\n")
    #expect(dump.status == 0)
    #expect(dump.out.contains("host KVM 6.4"))
  }
}
