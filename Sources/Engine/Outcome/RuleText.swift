/// The sentences of the rules that the hot paths report by bits alone.
enum RuleText {
  static func sentence(for hit: RuleHit) -> String {
    let register = hit.register
    let bits = hit.bits
    let them = bits.nonzeroBitCount == 1 ? "it" : "them"
    switch hit.id {
    case .pinCR0High, .pinCR4High:
      return "\(BitList.subject(bits, register)) pinned high: the write would clear \(them)."
    case .pinCR0Low, .pinCR4Low:
      return "\(BitList.subject(bits, register)) pinned low: the write would set \(them)."
    case .cr0ReservedHigh:
      return "CR0 bits 63:32 are reserved: \(Hex.short(hit.value)) sets \(Hex.short(bits))."
    case .cr4Reserved:
      return "\(reservedLabels(bits)) reserved: KVM \(kvmVersion(hit.value)) does not know \(them)."
    case .cr0WPClearWithCET:
      return "CR0.WP (bit 16, 0x10000) cannot be cleared while CR4.CET (bit 23, 0x800000) is set: "
        + "shadow stacks rely on supervisor write protection."
    case .cr4CETWithoutWP:
      return "CR4.CET (bit 23, 0x800000) cannot be set while CR0.WP (bit 16, 0x10000) is clear."
    case .cr4FeatureMissing:
      let features = BitCatalog.cr4.filter { bits & $0.mask != 0 }.compactMap(\.feature)
      return "\(BitList.subject(bits, .cr4)) reserved for this guest: its CPU model lacks "
        + features.map { "CPUID " + $0.displayName }.joined(separator: ", ") + "."
    case .msrPinNotAllowed:
      return "\(BitList.labels(bits, register)) may not be pinned: the patch allows only "
        + "\(BitCatalog.names(in: hit.value, of: register)) (\(Hex.short(hit.value))) in "
        + "\(register.displayName)."
    case .msrPinOpposite:
      return "\(BitList.subject(bits, register)) already pinned \(hit.value == 0 ? "low" : "high"): "
        + "a bit cannot be pinned both ways."
    case .msrPinGuestShrink:
      return "The guest may only add pins: this write would unpin \(BitList.labels(bits, register)). "
        + "Only the VMM may remove pins."
    case .hekiCR0Locked, .hekiCR4Locked:
      return "Heki locked \(BitList.labels(bits, register)) for the whole VM: the write would clear "
        + "\(them). Host log: \"heki: Blocked \(register.displayName) update\"."
    default:
      return hit.id.rawValue
    }
  }

  /// The KVM version a `cr4.reserved` hit carries in its value (`RuleHit.kvmTag`; 0: 5.8).
  private static func kvmVersion(_ tag: UInt64) -> LinuxVersion {
    tag == 0 ? .seedBase : LinuxVersion(Int(tag >> 16), Int(tag & 0xffff))
  }

  /// Names reserved CR4 bits: low ones by label, bits 63:32 as one mask.
  private static func reservedLabels(_ mask: UInt64) -> String {
    let low = mask & 0xffff_ffff
    let high = mask & ~0xffff_ffff
    var parts: [String] = []
    if low != 0 { parts.append(BitList.labels(low, .cr4)) }
    if high != 0 { parts.append("CR4 bits 63:32 (\(Hex.short(high)))") }
    return parts.joined(separator: " and ") + (mask.nonzeroBitCount == 1 ? " is" : " are")
  }
}
