/// A word of at most 24 bytes, lowercased and packed into three integers: compared and hashed
/// without making a `String`. Names are case-insensitive in the script language.
struct WordKey: Hashable, Sendable {
  /// The most bytes a key holds; longer words have no key.
  static let capacity = 24

  private var parts: (UInt64, UInt64, UInt64) = (0, 0, 0)

  /// An empty key.
  init() {}

  /// The key of a lowercase keyword of at most 8 bytes, packed little-endian.
  private init(packed: UInt64) { parts = (packed, 0, 0) }

  /// The key of the lowercased bytes packed little-endian into three parts (bytes 0-7, 8-15,
  /// 16-23).
  @inline(__always)
  init(_ first: UInt64, _ second: UInt64, _ third: UInt64) { parts = (first, second, third) }

  static func == (a: WordKey, b: WordKey) -> Bool {
    a.parts.0 == b.parts.0 && a.parts.1 == b.parts.1 && a.parts.2 == b.parts.2
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(parts.0)
    hasher.combine(parts.1)
    hasher.combine(parts.2)
  }

  /// A cheap hash for `WordTable`.
  var mixed: UInt64 {
    (parts.0 &* 0x9e37_79b9_7f4a_7c15) ^ (parts.1 &* 0xbf58_476d_1ce4_e5b9)
      ^ (parts.2 &* 0x94d0_49bb_1331_11eb)
  }

  // The keywords of the statements the fast parser reads, the outcome words and the register
  // names, packed little-endian ("mov" is 0x76_6f6d: `m` 0x6d, `o` 0x6f, `v` 0x76).
  static var mov: WordKey { WordKey(packed: 0x76_6f6d) }
  static var set: WordKey { WordKey(packed: 0x74_6573) }
  static var clear: WordKey { WordKey(packed: 0x72_6165_6c63) }
  static var host: WordKey { WordKey(packed: 0x7473_6f68) }
  static var wrmsr: WordKey { WordKey(packed: 0x72_736d_7277) }
  static var rdmsr: WordKey { WordKey(packed: 0x72_736d_6472) }
  static var expect: WordKey { WordKey(packed: 0x7463_6570_7865) }
  static var cr0: WordKey { WordKey(packed: 0x30_7263) }
  static var cr3: WordKey { WordKey(packed: 0x33_7263) }
  static var cr4: WordKey { WordKey(packed: 0x34_7263) }
  static var efer: WordKey { WordKey(packed: 0x7265_6665) }
  static var vcpu: WordKey { WordKey(packed: 0x7570_6376) }
  static var vcpus: WordKey { WordKey(packed: 0x73_7570_6376) }
  static var smi: WordKey { WordKey(packed: 0x69_6d73) }
  static var rsm: WordKey { WordKey(packed: 0x6d_7372) }
  static var vmentry: WordKey { WordKey(packed: 0x79_7274_6e65_6d76) }
  static var vmexit: WordKey { WordKey(packed: 0x7469_7865_6d76) }
  static var reset: WordKey { WordKey(packed: 0x74_6573_6572) }
  static var boot: WordKey { WordKey(packed: 0x746f_6f62) }
  static var kexec: WordKey { WordKey(packed: 0x63_6578_656b) }
  static var stac: WordKey { WordKey(packed: 0x6361_7473) }
  static var clac: WordKey { WordKey(packed: 0x6361_6c63) }
  static var rule: WordKey { WordKey(packed: 0x656c_7572) }
  static var ok: WordKey { WordKey(packed: 0x6b6f) }
  static var gp: WordKey { WordKey(packed: 0x7067) }
  static var ud: WordKey { WordKey(packed: 0x6475) }
  static var pf: WordKey { WordKey(packed: 0x6670) }
  static var exit: WordKey { WordKey(packed: 0x7469_7865) }
  static var dropped: WordKey { WordKey(packed: 0x64_6570_706f_7264) }
  static var rejected: WordKey { WordKey(packed: 0x6465_7463_656a_6572) }
  static var stopped: WordKey { WordKey(packed: 0x64_6570_706f_7473) }
}

/// A small open-addressing hash table from `WordKey` to a looked-up value: the names of one
/// script, each looked up once.
struct WordTable<Value> {
  private var keys: [WordKey?] = Array(repeating: nil, count: 64)
  private var values: [Value?] = Array(repeating: nil, count: 64)
  private var count = 0

  /// The value for `key`, computing and storing it with `lookup` the first time.
  mutating func value(for key: WordKey, lookup: () -> Value) -> Value {
    let mask = keys.count - 1
    var slot = Int(truncatingIfNeeded: key.mixed >> 40) & mask
    while let stored = keys[slot] {
      if stored == key, let value = values[slot] { return value }
      slot = (slot + 1) & mask
    }
    let value = lookup()
    keys[slot] = key
    values[slot] = value
    count += 1
    if count * 2 > keys.count { grow() }
    return value
  }

  private mutating func grow() {
    let old = zip(keys, values)
    keys = Array(repeating: nil, count: keys.count * 2)
    values = Array(repeating: nil, count: keys.count)
    count = 0
    for case (let key?, let value?) in old { _ = self.value(for: key) { value } }
  }
}
