/// One bit of CR0 or CR4: what it is called, what it does, what it needs.
public struct BitInfo: Equatable, Sendable {
  /// CR0 or CR4.
  public let register: PinnableRegister
  /// Bit number, 0 = least significant.
  public let index: Int
  /// Short name as the SDM prints it (`SMEP`).
  public let mnemonic: String
  /// Full name (`Supervisor Mode Execution Prevention`).
  public let name: String
  /// One line on what the bit does.
  public let meaning: String
  /// What turning it off opens up, for bits that protect something; empty otherwise.
  public let protects: String
  /// The CPUID feature KVM requires for the bit, if any.
  public let feature: CPUFeature?
  /// Whether KVM 5.8 rejects the bit as reserved when `feature` is missing (`kvm_valid_cr4`);
  /// VMXE and PCIDE are refused later, by their own checks.
  public let gatedInValidCR4: Bool
  /// Whether KVM 5.8 knows the bit at all (unknown bits are reserved whatever the CPU has).
  public let knownToKVM: Bool
  /// Whether the paravirtual pinning patch allows pinning it (CR0.WP; CR4.SMEP, SMAP, UMIP).
  public let pinnable: Bool

  /// The bit as a mask: `1 << index`.
  public var mask: UInt64 { 1 << UInt64(index) }

  /// `CR4.SMEP`.
  public var qualifiedName: String { "\(register.displayName).\(mnemonic)" }

  /// `CR4.SMEP (bit 20, 0x100000)`: how crpin always names a bit, index and mask together.
  public var fullLabel: String { "\(qualifiedName) (bit \(index), \(Hex.short(mask)))" }
}

/// The bit tables for CR0 and CR4 (Intel SDM Vol. 3A §2.5; Linux 5.8 KVM).
public enum BitCatalog {
  private static func bit(
    _ register: PinnableRegister, _ index: Int, _ mnemonic: String, _ name: String,
    _ meaning: String, protects: String = "", feature: CPUFeature? = nil, gated: Bool = false,
    known: Bool = true, pinnable: Bool = false
  ) -> BitInfo {
    BitInfo(
      register: register, index: index, mnemonic: mnemonic, name: name, meaning: meaning,
      protects: protects, feature: feature, gatedInValidCR4: gated, knownToKVM: known,
      pinnable: pinnable)
  }

  /// The named bits of CR0; the others are reserved and dropped by KVM on a write.
  public static let cr0: [BitInfo] = [
    bit(.cr0, 0, "PE", "Protection Enable", "Protected mode on."),
    bit(.cr0, 1, "MP", "Monitor Coprocessor", "WAIT/FWAIT honour TS."),
    bit(.cr0, 2, "EM", "Emulation", "No x87 FPU: FPU, MMX and SSE instructions fault."),
    bit(.cr0, 3, "TS", "Task Switched", "Lazy FPU state switching: the next FPU use faults."),
    bit(.cr0, 4, "ET", "Extension Type", "Hard-wired to 1; KVM forces it on."),
    bit(.cr0, 5, "NE", "Numeric Error", "Native x87 error reporting."),
    bit(
      .cr0, 16, "WP", "Write Protect",
      "Supervisor writes honour read-only pages (copy-on-write, kernel text and rodata).",
      protects:
        "With WP off the kernel can write read-only pages: an exploit patches kernel text or "
        + "rodata (credentials, function pointers) directly.",
      pinnable: true),
    bit(.cr0, 18, "AM", "Alignment Mask", "Alignment checking with EFLAGS.AC at CPL 3."),
    bit(.cr0, 29, "NW", "Not Write-through", "Caching write policy; only valid with CD."),
    bit(.cr0, 30, "CD", "Cache Disable", "Caching off."),
    bit(.cr0, 31, "PG", "Paging", "Paging on (with EFER.LME: long mode)."),
  ]

  /// The named bits of CR4 up to bit 24, including those KVM 5.8 treats as reserved.
  public static let cr4: [BitInfo] = [
    bit(.cr4, 0, "VME", "Virtual-8086 Mode Extensions", "Virtual interrupt flag in V86 mode."),
    bit(.cr4, 1, "PVI", "Protected-mode Virtual Interrupts", "Virtual interrupt flag at CPL 3."),
    bit(.cr4, 2, "TSD", "Time Stamp Disable", "RDTSC restricted to CPL 0."),
    bit(.cr4, 3, "DE", "Debugging Extensions", "I/O breakpoints."),
    bit(.cr4, 4, "PSE", "Page Size Extensions", "4 MiB pages in 32-bit paging."),
    bit(.cr4, 5, "PAE", "Physical Address Extension", "PAE paging; required for long mode."),
    bit(.cr4, 6, "MCE", "Machine-Check Enable", "Machine-check exceptions on."),
    bit(.cr4, 7, "PGE", "Page Global Enable", "Global pages survive CR3 writes."),
    bit(.cr4, 8, "PCE", "Performance-Counter Enable", "RDPMC allowed at any CPL."),
    bit(.cr4, 9, "OSFXSR", "OS FXSAVE/FXRSTOR Support", "SSE state saved with FXSAVE."),
    bit(
      .cr4, 10, "OSXMMEXCPT", "OS Unmasked SIMD FP Exceptions",
      "SIMD floating-point exceptions delivered as #XM."),
    bit(
      .cr4, 11, "UMIP", "User-Mode Instruction Prevention",
      "SGDT, SIDT, SLDT, SMSW and STR fault at CPL > 0.",
      protects:
        "With UMIP off user code can read the GDT/IDT addresses with SGDT/SIDT: a kernel "
        + "address leak that helps defeat KASLR.",
      feature: .umip, gated: true, pinnable: true),
    bit(
      .cr4, 12, "LA57", "57-bit Linear Addresses", "5-level paging.", feature: .la57, gated: true),
    bit(.cr4, 13, "VMXE", "VMX Enable", "VMX instructions allowed (nested VMX).", feature: .vmx),
    bit(.cr4, 14, "SMXE", "SMX Enable", "Safer Mode Extensions; unknown to KVM 5.8.", known: false),
    bit(
      .cr4, 16, "FSGSBASE", "FS/GS Base Instructions", "RDFSBASE/WRFSBASE and friends at any CPL.",
      feature: .fsgsbase, gated: true),
    bit(
      .cr4, 17, "PCIDE", "Process-Context Identifiers", "CR3[11:0] tags TLB entries with a PCID.",
      feature: .pcid),
    bit(
      .cr4, 18, "OSXSAVE", "XSAVE and Extended States", "XSAVE/XRSTOR and XGETBV/XSETBV on.",
      feature: .xsave, gated: true),
    bit(.cr4, 19, "KL", "Key Locker", "AES Key Locker; unknown to KVM 5.8.", known: false),
    bit(
      .cr4, 20, "SMEP", "Supervisor Mode Execution Prevention",
      "The kernel may not execute code in user pages.",
      protects:
        "With SMEP off the kernel can be made to jump to code in a user page (ret2usr): an "
        + "exploit clears it first, with a ROP chain reaching `mov cr4`.",
      feature: .smep, gated: true, pinnable: true),
    bit(
      .cr4, 21, "SMAP", "Supervisor Mode Access Prevention",
      "The kernel may not read or write user pages unless EFLAGS.AC is set.",
      protects:
        "With SMAP off the kernel reads attacker data from user pages: fake structures and "
        + "ROP stacks placed in user memory.",
      feature: .smap, gated: true, pinnable: true),
    bit(
      .cr4, 22, "PKE", "Protection Keys for User Pages", "PKRU-controlled access to user pages.",
      feature: .pku, gated: true),
    bit(.cr4, 23, "CET", "Control-flow Enforcement", "Shadow stacks, IBT; unknown to KVM 5.8.", known: false),
    bit(.cr4, 24, "PKS", "Protection Keys for Supervisor Pages", "Unknown to KVM 5.8.", known: false),
  ]

  /// The named bit at `index` of `register`, if it has a name.
  public static func bit(_ register: PinnableRegister, index: Int) -> BitInfo? {
    register.bits.first { $0.index == index }
  }

  /// Finds a bit by mnemonic, case-insensitively: `SMEP`, `cr4.smep`, `CR0.WP`.
  /// A bare mnemonic is looked up in CR0 first, then CR4 (the names do not collide).
  public static func lookup(_ text: String) -> BitInfo? {
    let lower = text.lowercased()
    if let dot = lower.firstIndex(of: ".") {
      let prefix = String(lower[..<dot])
      let name = String(lower[lower.index(after: dot)...])
      guard let register = PinnableRegister(rawValue: prefix) else { return nil }
      return register.bits.first { $0.mnemonic.lowercased() == name }
    }
    return (cr0 + cr4).first { $0.mnemonic.lowercased() == lower }
  }

  /// Every mnemonic, qualified (`CR4.SMEP`), for suggestions.
  public static var allQualifiedNames: [String] { (cr0 + cr4).map(\.qualifiedName) }

  /// The names of the bits set in `mask`, low to high: `SMEP, SMAP`; unnamed bits as `bit N`.
  public static func names(in mask: UInt64, of register: PinnableRegister) -> String {
    var parts: [String] = []
    var rest = mask
    while rest != 0 {
      let index = rest.trailingZeroBitCount
      rest &= rest - 1
      parts.append(bit(register, index: index)?.mnemonic ?? "bit \(index)")
    }
    return parts.joined(separator: ", ")
  }
}
