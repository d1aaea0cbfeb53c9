import Engine

/// `crpin explain`: a CR0/CR4 value decoded bit by bit (with the version badges of the bits that
/// have them), or an MSR described. CR2, CR3, EFER and EFLAGS: `Explain+Registers.swift`;
/// register dumps pasted from an oops, QEMU or gdb: `RegisterDump`.
public enum Explain {
  /// Evaluates a value as scripts write it (`0x360ef0`, `cr4 & ~SMEP`, `SMEP | SMAP`); register
  /// names mean the default booted guest's values.
  public static func value(_ text: String) -> Result<UInt64, ScriptError> {
    do throws(ScriptError) {
      let tokenized = try Lexer.tokenize(text, lineNumber: 1)
      var cursor = TokenCursor(tokenized, line: 1)
      let operand = try ExpressionParser.parse(&cursor)
      try cursor.requireEnd(after: "the value")
      let vm = VirtualMachine(bootedWith: 1)
      return .success(try operand.expression.evaluate(in: vm, on: 0, line: 1, column: operand.column))
    } catch {
      return .failure(error)
    }
  }

  /// Every set bit of `value` with index, mask, mnemonic and meaning; reserved and unknown bits
  /// flagged, CPUID needs, pinnability and version badges (each with its source) noted; then
  /// the pinnable bits that are clear. Known and reserved bits are `versions.kvm`'s; chosen
  /// versions add each bit's version facts and what native pinning would do.
  public static func register(
    _ register: PinnableRegister, value: UInt64, versions: ExplainVersions = .default
  ) -> String {
    var lines = ["\(register.displayName) = \(Hex.short(value))  (\(Hex.padded(value)))"]
    if versions.shown { lines.append(versions.header) }
    if value == 0 { lines.append("  no bits set") }
    let bootPins = versions.shown ? versions.bootPins : nil
    var rest = value
    while rest != 0 {
      let index = rest.trailingZeroBitCount
      rest &= rest - 1
      lines.append(bitLine(register, index: index, versions: versions, bootPins: bootPins))
    }
    lines += warnings(register, value: value, versions: versions)
    return lines.joined(separator: "\n")
  }

  private static func bitLine(
    _ register: PinnableRegister, index: Int, versions: ExplainVersions, bootPins: UInt64?
  ) -> String {
    let mask = UInt64(1) << UInt64(index)
    let head = "  bit " + TextTrace.pad(String(index), 3) + TextTrace.pad(Hex.short(mask), 19)
    guard let bit = BitCatalog.bit(register, index: index) else {
      if register == .cr0 {
        return head + TextTrace.pad("-", 11)
          + (index >= 32
            ? "reserved (bits 63:32): a MOV to CR0 with it takes #GP"
            : "reserved: KVM drops it silently on a write")
      }
      if versions.knownCR4 & mask != 0 {
        let name = BitVersionFacts.laterCR4Names[index] ?? "-"
        return head + TextTrace.pad(name, 11) + "known to KVM \(versions.kvm)"
          + versions.bitLines(
            register, mask: mask, bootPins: bootPins, margin: "\n" + String(repeating: " ", count: 39))
      }
      return head + TextTrace.pad("-", 11)
        + "reserved: unknown to KVM \(versions.kvm), a MOV to CR4 with it takes #GP"
    }
    var text = head + TextTrace.pad(bit.mnemonic, 11) + bit.name + ": " + bit.meaning
    var tags: [String] = []
    if register == .cr4, versions.knownCR4 & mask == 0 {
      tags.append("reserved in KVM \(versions.kvm): a MOV to CR4 with it takes #GP")
    }
    if let feature = bit.feature {
      tags.append(
        bit.gatedInValidCR4
          ? "needs CPUID \(feature.displayName) (else reserved: #GP)"
          : "needs CPUID \(feature.displayName) (checked by its own rule)")
    }
    if bit.pinnable { tags.append("pinnable: the guest pins it high at boot") }
    let margin = "\n" + String(repeating: " ", count: 39)
    if !tags.isEmpty { text += margin + "[" + tags.joined(separator: "; ") + "]" }
    for badge in ProtectionHistory.badges(for: bit) {
      text += margin + "\(badge.badge): \(badge.claim) — source: \(badge.source)"
    }
    if versions.shown { text += versions.bitLines(register, mask: mask, bootPins: bootPins, margin: margin) }
    return text
  }

  private static func warnings(
    _ register: PinnableRegister, value: UInt64, versions: ExplainVersions
  ) -> [String] {
    var lines: [String] = []
    let pinnable = register.bits.filter(\.pinnable).reduce(UInt64(0)) { $0 | $1.mask }
    let clear = pinnable & ~value
    if clear != 0 {
      lines.append(
        "  clear: \(BitList.labels(clear, register)) — with the boot-time pins in place a guest "
          + "write of this value takes #GP (pin.\(register.rawValue).high)")
    }
    switch register {
    case .cr0:
      if value & CR0.nw != 0, value & CR0.cd == 0 { lines.append("  NW without CD: a MOV to CR0 takes #GP") }
      if value & CR0.pg != 0, value & CR0.pe == 0 { lines.append("  PG without PE: a MOV to CR0 takes #GP") }
      if value >> 32 != 0 { lines.append("  bits 63:32 set: a MOV to CR0 takes #GP") }
    case .cr4:
      let unknown = value & ~versions.knownCR4
      if unknown != 0 {
        lines.append("  reserved for KVM \(versions.kvm): \(Hex.short(unknown)) — a MOV to CR4 takes #GP")
      }
    }
    if versions.shown, let native = versions.nativeLine(register, value: value) { lines.append(native) }
    return lines
  }

  /// An MSR by name (with or without prefix) or number: its names and what it holds.
  public static func msr(_ text: String) -> Result<String, ScriptError> {
    do throws(ScriptError) {
      let tokenized = try Lexer.tokenize(text, lineNumber: 1)
      var cursor = TokenCursor(tokenized, line: 1)
      let reference = try MSRParser.parse(&cursor)
      try cursor.requireEnd(after: "the MSR")
      let number = reference.resolve(under: .kvm2020)
      guard let info = MSRCatalog.info(number) else {
        return .success(
          "MSR \(Hex.short(UInt64(number))) is not modelled by crpin (it models EFER and the pin "
            + "MSRs): a guest RDMSR/WRMSR takes #GP, the VMM's KVM_GET/SET_MSRS is rejected.")
      }
      return .success(
        "\(info.name) (\(Hex.short(UInt64(info.number)))), short name \(info.shortName)\n  "
          + info.description)
    } catch {
      return .failure(error)
    }
  }
}
