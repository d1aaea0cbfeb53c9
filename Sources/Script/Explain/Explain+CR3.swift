import Engine

extension Explain {
  /// CR3: the page-table base; bits 11:0 are the PCID when CR4.PCIDE is set, else PWT and PCD;
  /// Linux KPTI's bit 12 (user page-table half) and bit 11 (user PCID); bit 63 (no-flush).
  /// Whether PCIDE is on cannot be told from CR3 alone: `cr4` settles it when known.
  static func cr3(_ value: UInt64, cr4: UInt64?) -> ExplainedRegister {
    let pcide = cr4.map { $0 & CR4.pcide != 0 }
    let address = value & ~CR3.pcid & ~CR3.noFlush
    let low = value & CR3.pcid
    let reservedMask = CPUModel.default.reservedCR3InLongMode & ~CR3.noFlush
    var set: [String] = []
    var reserved: [String] = []
    var lines = [
      "CR3 = \(Hex.short(value))  (\(Hex.padded(value)))",
      "  bits 62:12  page-table base (the PML4/PGD's physical address): \(Hex.short(address))",
    ]
    let pcideLabel = "CR4.PCIDE (bit 17, 0x20000)"
    switch pcide {
    case true?:
      set.append("PCID=\(Hex.short(low))")
      lines.append("  bits 11:0   PCID \(Hex.short(low)): \(pcideLabel) is set in CR4 \(Hex.short(cr4 ?? 0))")
    case false?:
      if value & 0x8 != 0 { set.append("PWT") }
      if value & 0x10 != 0 { set.append("PCD") }
      lines.append(
        "  bits 11:0   \(pcideLabel) is clear in CR4 \(Hex.short(cr4 ?? 0)): no PCID; bit 3 PWT = "
          + "\(value >> 3 & 1), bit 4 PCD = \(value >> 4 & 1) (caching of the top-level table)")
    case nil:
      lines.append(
        "  bits 11:0   \(Hex.short(low)): the PCID if \(pcideLabel) is set; if it is clear, bit 3 PWT = "
          + "\(value >> 3 & 1) and bit 4 PCD = \(value >> 4 & 1). CR3 alone cannot say which: give "
          + "the CR4 too (a dump that shows both, or --cr4)")
    }
    let user = value & 0x1000 != 0
    if user { set.append("KPTI_USER_PGD") }
    lines.append(
      "  bit 12      0x1000: " + (user ? "set" : "clear")
        + " — under Linux KPTI (page-table isolation) the PGD is a pair of 4 KiB pages and bit 12 "
        + "selects the \(user ? "user" : "kernel") half (PTI_USER_PGTABLE_BIT); without KPTI it is "
        + "just an address bit")
    if pcide != false {
      let userPCID = value & 0x800 != 0
      if userPCID, pcide == true { set.append("KPTI_USER_PCID") }
      lines.append(
        "  bit 11      0x800: " + (userPCID ? "set" : "clear")
          + " — with PCIDE, KPTI gives the user half its own PCID (the kernel's | 0x800, "
          + "X86_CR3_PTI_PCID_USER_BIT): this is \(userPCID ? "a user" : "not a user") PCID")
    }
    if value & CR3.noFlush != 0 {
      set.append("NOFLUSH")
      lines.append(
        "  bit 63      0x8000000000000000 NOFLUSH: on a MOV to CR3 with PCIDE, keep this PCID's TLB "
          + "entries; the CPU does not store it, so a value read back from CR3 never has it")
    }
    var rest = value & reservedMask
    while rest != 0 {
      let index = rest.trailingZeroBitCount
      rest &= rest - 1
      reserved.append("bit \(index) (\(Hex.short(UInt64(1) << UInt64(index))))")
    }
    if value & reservedMask != 0 {
      lines.append(
        "  reserved: \(Hex.short(value & reservedMask)) — bits 62:46 are above crpin's MAXPHYADDR (46): "
          + "a MOV to CR3 in long mode takes #GP (cr3.reserved)")
    }
    return ExplainedRegister(
      register: .cr3, value: value, set: set, reserved: reserved, text: lines.joined(separator: "\n"),
      cr3: CR3Fields(address: address, pcid: pcide == true ? low : nil, pcide: pcide))
  }
}
