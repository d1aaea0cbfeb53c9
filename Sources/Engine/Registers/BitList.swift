/// Names a set of bits the way crpin always does: qualified name, index and mask.
public enum BitList {
  /// `CR4.SMEP (bit 20, 0x100000)` or `CR4.SMEP (…), CR4.SMAP (…) and CR4.UMIP (…)`.
  public static func labels(_ mask: UInt64, _ register: PinnableRegister) -> String {
    var labels: [String] = []
    var rest = mask
    while rest != 0 {
      let index = rest.trailingZeroBitCount
      rest &= rest - 1
      labels.append(
        BitCatalog.bit(register, index: index)?.fullLabel
          ?? "\(register.displayName) bit \(index) (\(Hex.short(UInt64(1) << UInt64(index))))")
    }
    guard let last = labels.last, labels.count > 1 else { return labels.joined() }
    return labels.dropLast().joined(separator: ", ") + " and " + last
  }

  /// The labels followed by `is` or `are`, to start a sentence.
  public static func subject(_ mask: UInt64, _ register: PinnableRegister) -> String {
    labels(mask, register) + (mask.nonzeroBitCount == 1 ? " is" : " are")
  }
}
