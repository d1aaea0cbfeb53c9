import Engine

/// A bit as `set`/`clear` and expressions need it: its register and mask.
struct FastBit: Equatable, Sendable {
  /// CR0 or CR4.
  let register: ControlRegister
  /// The bit's mask.
  let mask: UInt64
}

/// An MSR name or number resolved for every meaning it can have (`MSRReference.resolve`): the
/// usual number, and the mechanisms whose MSR table gives the name another (kvm-rfc2's
/// `CR4_PIN_ALLOWED`). Plain values, no array: an instruction holding one is copied and
/// destroyed without reference counting.
struct FastMSR: Equatable, Sendable {
  /// A mechanism under which the name means another number.
  struct Elsewhere: Equatable, Sendable {
    let mechanism: Mechanism
    let number: UInt32
  }

  /// The most mechanisms with another number a name may have to be read by the fast parser.
  static let maxElsewhere = 2

  /// The number under every mechanism but those in `elsewhere`.
  let number: UInt32
  /// Where the name means another number (none for most names and every number).
  private var first: Elsewhere?
  private var second: Elsewhere?

  /// MSR `number` under every mechanism.
  init(number: UInt32) { self.number = number }

  /// `number`, and the other numbers under the mechanisms of `elsewhere` (at most
  /// `maxElsewhere`; nil for more).
  init?(number: UInt32, elsewhere: [Elsewhere]) {
    guard elsewhere.count <= Self.maxElsewhere else { return nil }
    self.number = number
    first = elsewhere.first
    second = elsewhere.count > 1 ? elsewhere[1] : nil
  }

  /// The number under `mechanism`.
  @inline(__always)
  func resolve(under mechanism: Mechanism) -> UInt32 {
    if let first, first.mechanism == mechanism { return first.number }
    if let second, second.mechanism == mechanism { return second.number }
    return number
  }
}

/// The names a script uses, each looked up once (`BitCatalog.lookup`, `MSRReference`) and then
/// found by its key (names are case-insensitive).
struct NameTable {
  private var bits = WordTable<FastBit?>()
  private var msrs = WordTable<FastMSR?>()
  private var rules = WordTable<RuleID?>()

  /// The bit `BitCatalog.lookup` finds for `word`, if any.
  mutating func bit(_ word: Word, in cursor: ByteCursor) -> FastBit? {
    guard let key = word.key else { return nil }
    return bits.value(for: key) {
      BitCatalog.lookup(cursor.string(word.range)).map {
        FastBit(register: $0.register.controlRegister, mask: $0.mask)
      }
    }
  }

  /// The MSR `MSRParser` accepts for `word`, if any.
  mutating func msr(_ word: Word, in cursor: ByteCursor) -> FastMSR? {
    guard let key = word.key else { return nil }
    return msrs.value(for: key) {
      let name = cursor.string(word.range)
      guard MSRReference.isKnown(name) else { return nil }
      return FastMSR(
        number: MSRReference.name(name).resolve(under: .kvm2020),
        elsewhere: MSRReference.otherNumbers(of: name).map {
          FastMSR.Elsewhere(mechanism: $0.mechanism, number: $0.number)
        })
    }
  }

  /// The rule `expect rule ID` names with `word`, if any (`RuleID`'s raw value, ignoring case).
  mutating func rule(_ word: Word, in cursor: ByteCursor) -> RuleID? {
    guard let key = word.key else { return nil }
    return rules.value(for: key) { RuleID(rawValue: cursor.string(word.range).lowercased()) }
  }

  /// What `ExpressionParser.name` makes of `word`, as a `FastValue`: a register or a bit; nil
  /// for `pins.X`, `smram.X` and unknown names.
  mutating func expressionName(_ word: Word, in cursor: ByteCursor) -> FastValue? {
    if let register = Self.register(word) { return FastValue(register: register) }
    if cursor.hasPrefix(word, "pins.") || cursor.hasPrefix(word, "smram.") { return nil }
    return bit(word, in: cursor).map { FastValue(constant: $0.mask) }
  }

  /// `cr0`, `cr3` or `cr4`, ignoring case.
  static func controlRegister(_ word: Word) -> ControlRegister? {
    switch word.key {
    case WordKey.cr4?: .cr4
    case WordKey.cr0?: .cr0
    case WordKey.cr3?: .cr3
    default: nil
    }
  }

  /// `cr0`, `cr3`, `cr4` or `efer`, ignoring case.
  static func register(_ word: Word) -> RegisterName? {
    switch word.key {
    case WordKey.cr4?: .cr4
    case WordKey.cr0?: .cr0
    case WordKey.cr3?: .cr3
    case WordKey.efer?: .efer
    default: nil
    }
  }
}
