import Engine

/// An MSR as a statement names it: a number, always literal, or a name resolved when the
/// statement runs, against the mechanism in force then.
///
/// The same numbers mean different MSRs in the two KVM designs: 0x4b564d08/09 are
/// `CR0_PIN_ALLOWED`/`CR4_PIN_ALLOWED` in kvm-2020 but `CR0_PINNED`/`CR4_PINNED` in the
/// February 2020 draft, whose allowed MSRs are 0x4b564d06/07. So `CR4_PIN_ALLOWED` means
/// 0x4b564d07 under `kvm-rfc2` and 0x4b564d09 under every other mechanism; `CR0_PINNED` and
/// `CR4_PINNED` exist only in the draft and always mean 0x4b564d08/09 (under another mechanism
/// the engine's notes say what that number is there).
public enum MSRReference: Equatable, Hashable, Sendable {
  /// A number as written.
  case number(UInt32)
  /// A name as written (`CR4_PINNED_HIGH`, `msr_kvm_cr4_pinned`), known to `MSRReference`.
  case name(String)

  /// The draft's four MSRs (RFC v2 2/4), by short name.
  static let rfc2Names: [(shortName: String, number: UInt32)] = [
    ("CR0_PIN_ALLOWED", 0x4b56_4d06), ("CR4_PIN_ALLOWED", 0x4b56_4d07),
    ("CR0_PINNED", 0x4b56_4d08), ("CR4_PINNED", 0x4b56_4d09),
  ]

  /// Every MSR name a script may use, short and with its `MSR_KVM_`/`MSR_` prefix.
  static var knownNames: [String] {
    MSRCatalog.all.flatMap { [$0.shortName, $0.name] }
      + ["CR0_PINNED", "CR4_PINNED", "MSR_KVM_CR0_PINNED", "MSR_KVM_CR4_PINNED"]
  }

  /// The name without `MSR_KVM_`, `KVM_` or `MSR_`, uppercased: `CR4_PINNED`.
  private static func shortName(_ name: String) -> String {
    var upper = name.uppercased()
    for prefix in ["MSR_KVM_", "KVM_", "MSR_"] where upper.hasPrefix(prefix) {
      upper = String(upper.dropFirst(prefix.count))
      break
    }
    return upper
  }

  /// Whether `name` names an MSR crpin knows under some mechanism.
  static func isKnown(_ name: String) -> Bool {
    MSRCatalog.lookup(name: name) != nil || rfc2Names.contains { $0.shortName == shortName(name) }
  }

  /// The MSR number under `mechanism`.
  public func resolve(under mechanism: Mechanism) -> UInt32 {
    switch self {
    case .number(let number): return number
    case .name(let name):
      let short = Self.shortName(name)
      let rfc2 = Self.rfc2Names.first { $0.shortName == short }?.number
      if let rfc2, mechanism == .kvmRFC2 || short.hasSuffix("_PINNED") { return rfc2 }
      return MSRCatalog.lookup(name: name)?.number ?? rfc2 ?? 0
    }
  }

  /// How a statement under `mechanism` names MSR `number` so that it resolves back to it:
  /// the draft's names for 0x4b564d06–09 under kvm-rfc2, else `MSRCatalog`'s display name.
  public static func displayName(_ number: UInt32, under mechanism: Mechanism) -> String {
    if mechanism == .kvmRFC2, let rfc2 = rfc2Names.first(where: { $0.number == number }) {
      return rfc2.shortName
    }
    return MSRCatalog.displayName(number)
  }
}
