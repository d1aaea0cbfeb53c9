import Engine

/// One register decoded: the text `crpin explain` prints and the summary `--format json` prints.
public struct ExplainedRegister: Sendable {
  /// Which register.
  public let register: DumpRegister
  /// Its value.
  public let value: UInt64
  /// The named bits or fields that are set, in bit order (`SMEP`, `IOPL=3`, `PCID=0x1`).
  public let set: [String]
  /// Reserved bits that are set, as `bit 22 (0x400000)` or `SMXE (bit 14, 0x4000)`.
  public let reserved: [String]
  /// The decoding for people, several lines.
  public let text: String
  /// CR3 only: the fields `--format json` adds.
  let cr3: CR3Fields?

  init(
    register: DumpRegister, value: UInt64, set: [String], reserved: [String], text: String,
    cr3: CR3Fields? = nil
  ) {
    self.register = register
    self.value = value
    self.set = set
    self.reserved = reserved
    self.text = text
    self.cr3 = cr3
  }
}

/// CR3's fields for `--format json`.
struct CR3Fields: Sendable {
  /// The page-table base, bits 62:12.
  let address: UInt64
  /// The PCID when CR4.PCIDE is known to be set.
  let pcid: UInt64?
  /// Whether CR4.PCIDE is set; nil when no CR4 was given.
  let pcide: Bool?
}

extension Explain {
  /// Decodes `value` as `register`. `cr4`, when known (a dump that also shows CR4), says
  /// whether CR3's low 12 bits are a PCID; `versions` as `register(_:value:versions:)` says.
  public static func explained(
    _ register: DumpRegister, value: UInt64, cr4: UInt64? = nil, versions: ExplainVersions = .default
  ) -> ExplainedRegister {
    switch register {
    case .cr0: return controlRegister(.cr0, value: value, versions: versions)
    case .cr4: return controlRegister(.cr4, value: value, versions: versions)
    case .cr2: return cr2(value)
    case .cr3: return cr3(value, cr4: cr4)
    case .efer: return flags(.efer, FlagTable.efer, value: value, defined: EFERBits.defined)
    case .eflags:
      let defined = FlagTable.eflags.reduce(UInt64(0)) { $0 | $1.mask }
      return flags(.eflags, FlagTable.eflags, value: value, defined: defined)
    }
  }

  private static func controlRegister(
    _ register: PinnableRegister, value: UInt64, versions: ExplainVersions
  ) -> ExplainedRegister {
    var set: [String] = []
    var reserved: [String] = []
    var rest = value
    while rest != 0 {
      let index = rest.trailingZeroBitCount
      rest &= rest - 1
      let mask = UInt64(1) << UInt64(index)
      if let bit = BitCatalog.bit(register, index: index) {
        set.append(bit.mnemonic)
        if register == .cr4, versions.knownCR4 & mask == 0 {
          reserved.append("\(bit.mnemonic) (bit \(index), \(Hex.short(mask)))")
        }
      } else if !(register == .cr4 && versions.knownCR4 & mask != 0) {
        reserved.append("bit \(index) (\(Hex.short(mask)))")
      }
    }
    return ExplainedRegister(
      register: register == .cr0 ? .cr0 : .cr4, value: value, set: set, reserved: reserved,
      text: self.register(register, value: value, versions: versions))
  }

  private static func cr2(_ value: UInt64) -> ExplainedRegister {
    let region =
      value < 0x0000_8000_0000_0000
      ? "a user-space address (lower canonical half): a kernel fault on it is what SMEP "
        + "(instruction fetch, CR4 bit 20, 0x100000) and SMAP (data access, CR4 bit 21, 0x200000) "
        + "cause"
      : value >= 0xffff_8000_0000_0000
        ? "a kernel address (upper canonical half)" : "not canonical (a #GP, not a #PF, in long mode)"
    let text =
      "CR2 = \(Hex.short(value))  (\(Hex.padded(value)))\n"
      + "  the linear address of the last page fault (#PF): \(region)"
    return ExplainedRegister(register: .cr2, value: value, set: [], reserved: [], text: text)
  }

  private static func flags(_ register: DumpRegister, _ table: [FlagInfo], value: UInt64, defined: UInt64)
    -> ExplainedRegister
  {
    var lines = ["\(register.displayName) = \(Hex.short(value))  (\(Hex.padded(value)))"]
    var set: [String] = []
    var reserved: [String] = []
    for flag in table where value & flag.mask != 0 && flag.mnemonic != "1" {
      let field = (value & flag.mask) >> UInt64(flag.index)
      let label = flag.width > 1 ? "\(flag.mnemonic)=\(field)" : flag.mnemonic
      set.append(label)
      // Named but reserved for this CPU model (EFER.SVME…): listed with the reserved bits.
      if flag.mask & ~defined != 0 { continue }
      let bits = flag.width > 1 ? "bits \(flag.index + flag.width - 1):\(flag.index)" : "bit \(flag.index)"
      lines.append(
        "  " + TextTrace.pad(bits, 10) + TextTrace.pad(Hex.short(flag.mask), 12) + TextTrace.pad(label, 9)
          + flag.name + ": " + flag.meaning)
    }
    var rest = value & ~defined
    while rest != 0 {
      let index = rest.trailingZeroBitCount
      rest &= rest - 1
      let mask = UInt64(1) << UInt64(index)
      reserved.append("bit \(index) (\(Hex.short(mask)))")
      let known = FlagTable.flag(table, containing: index)
      lines.append(
        "  " + TextTrace.pad("bit \(index)", 10) + TextTrace.pad(Hex.short(mask), 12)
          + TextTrace.pad(known?.mnemonic ?? "-", 9)
          + (known.map { "\($0.name): \($0.meaning) " } ?? "")
          + "Reserved"
          + (register == .efer ? " for crpin's CPU model: a WRMSR takes #GP (efer.reserved)" : ""))
    }
    if register == .eflags {
      if value & 0x2 == 0 {
        lines.append("  bit 1 is clear: EFLAGS bit 1 always reads 1 — not an EFLAGS value?")
      }
      lines.append(
        value & (1 << 18) != 0
          ? "  AC (bit 18, 0x40000) is set: SMAP does not stop supervisor accesses to user pages right now"
          : "  AC (bit 18, 0x40000) is clear: with CR4.SMAP set, a supervisor access to a user page is a #PF")
    }
    if set.isEmpty, reserved.isEmpty { lines.insert("  no bits set", at: 1) }
    return ExplainedRegister(
      register: register, value: value, set: set, reserved: reserved,
      text: lines.joined(separator: "\n"))
  }
}
