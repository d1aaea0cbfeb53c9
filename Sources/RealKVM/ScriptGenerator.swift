import SeededRandom

/// Random scripts over what this backend can run: CR0/CR3/CR4 writes (reserved bits and bits
/// 63:32 included), EFER, the pin MSRs as guest (WRMSR/RDMSR) and as VMM (KVM_SET/GET_MSRS),
/// the VMM's `host sregs`, `reset` and `boot`. Values are relative to the registers (`mov cr4, cr4 | 0x100000`), so a
/// shrunk script still means what it did.
public struct ScriptGenerator {
  private var random: SplitMix64

  /// A generator whose scripts are fixed by `seed`.
  public init(seed: UInt64) { random = SplitMix64(seed: seed) }

  /// The pin MSRs by name.
  static let pinMSRs = [
    "CR0_PIN_ALLOWED", "CR4_PIN_ALLOWED", "CR0_PINNED_LOW", "CR0_PINNED_HIGH", "CR4_PINNED_LOW",
    "CR4_PINNED_HIGH",
  ]
  /// CR0 bits worth flipping: the defined ones and a few reserved.
  static let cr0Bits: [Int] = [0, 1, 2, 3, 5, 16, 18, 29, 30, 31, 6, 17, 28]
  /// EFER bits: SCE, LME, LMA, NXE and reserved ones.
  static let eferBits: [Int] = [0, 8, 10, 11, 1, 9, 12, 15, 63]
  /// Values a pin MSR is written with: none, WP, SMEP/SMAP/UMIP, a bit not allowed.
  static let pinValues: [UInt64] = [0, 0x10000, 0x100000, 0x300800, 0x800, 0x20, 1 << 40]

  /// The next `length` statements.
  public mutating func script(length: Int) -> [String] {
    (0..<length).map { _ in statement() }
  }

  private mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }

  private mutating func flip(_ register: String, bit: Int) -> String {
    let mask = "0x" + String(UInt64(1) << UInt64(bit), radix: 16)
    return random.next() % 2 == 0 ? "\(register) | \(mask)" : "\(register) & ~\(mask)"
  }

  /// One field of `host sregs`, relative to the register.
  private mutating func sregsField() -> String {
    switch random.next() % 4 {
    case 0:
      let bit = random.next() % 8 == 0 ? 32 + Int(random.next() % 32) : pick(Self.cr0Bits)
      return "cr0=" + flip("cr0", bit: bit)
    case 1: return "cr3=" + pick(["0x1000", "0x2a0a000 | 0x18", "0xb41c000 | (1 << 50)"])
    case 2: return "cr4=" + flip("cr4", bit: Int(random.next() % 40))
    default: return "efer=" + flip("efer", bit: pick(Self.eferBits))
    }
  }

  /// One statement.
  mutating func statement() -> String {
    let roll = random.next() % 100
    switch roll {
    case 0..<28:
      let bit = random.next() % 8 == 0 ? 32 + Int(random.next() % 32) : Int(random.next() % 32)
      return "mov cr4, " + flip("cr4", bit: bit)
    case 28..<46:
      let bit = random.next() % 10 == 0 ? 32 + Int(random.next() % 32) : pick(Self.cr0Bits)
      return "mov cr0, " + flip("cr0", bit: bit)
    case 46..<52:
      let root = pick(["0x1000", "0x2a0a000", "0xb41c000"])
      return "mov cr3, " + pick([root, "\(root) | 0x18", "\(root) | (1 << 50)", "\(root) | (1 << 47)"])
    case 52..<64:
      return "wrmsr EFER, " + flip("efer", bit: pick(Self.eferBits))
    case 64..<68:
      return "rdmsr " + pick(["EFER"] + Self.pinMSRs)
    case 68..<78:
      let value = "0x" + String(pick(Self.pinValues), radix: 16)
      return random.next() % 3 == 0 ? "rdmsr \(pick(Self.pinMSRs))" : "wrmsr \(pick(Self.pinMSRs)), \(value)"
    case 78..<90:
      let msr = pick(Self.pinMSRs + ["EFER"])
      let value =
        msr == "EFER"
        ? pick(["0xd01", "0x500", "0x501", "0xd00", "0x1d01"])
        : "0x" + String(pick(Self.pinValues), radix: 16)
      return random.next() % 3 == 0 ? "host rdmsr \(msr)" : "host wrmsr \(msr), \(value)"
    case 90..<94:
      return "reset"
    case 94..<97:
      return "host sregs " + sregsField()
    default:
      return "boot"
    }
  }
}
