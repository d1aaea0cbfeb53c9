import Engine

/// An MSR as a statement names it: a number, always literal, or a name resolved when the
/// statement runs, against the mechanism in force then.
///
/// The names come from the designs' MSR tables (`PinningDesign.msrs`) and `MSRCatalog` (EFER).
/// The same numbers can mean different MSRs in two designs: 0x4b564d08/09 are
/// `CR0_PIN_ALLOWED`/`CR4_PIN_ALLOWED` in kvm-2020 but `CR0_PINNED`/`CR4_PINNED` in the
/// February 2020 draft, whose allowed MSRs are 0x4b564d06/07. So a name means the number the
/// design in force gives it, else the number the first registered design that has it gives it
/// (kvm-2020 first): `CR4_PIN_ALLOWED` is 0x4b564d07 under `kvm-rfc2` and 0x4b564d09 under
/// every other mechanism; `CR0_PINNED` and `CR4_PINNED` exist only in the draft and always mean
/// 0x4b564d08/09 (under another mechanism the engine's notes say what that number is there).
public enum MSRReference: Equatable, Hashable, Sendable {
  /// A number as written.
  case number(UInt32)
  /// A name as written (`CR4_PINNED_HIGH`, `msr_kvm_cr4_pinned`), known to `MSRReference`.
  case name(String)

  /// Every design's MSR table, in registration order (`Mechanism.allCases`).
  private static let tables: [(mechanism: Mechanism, msrs: [MSRInfo])] =
    Mechanism.allCases.map { ($0, $0.design?.msrs ?? []) }

  /// Every MSR name a script may use, short and with its `MSR_KVM_`/`MSR_` prefix: the
  /// catalog's, then the names only other designs have.
  static let knownNames: [String] = {
    let catalog = MSRCatalog.all.flatMap { [$0.shortName, $0.name] }
    var others: [MSRInfo] = []
    for table in tables {
      for info in table.msrs
      where !catalog.contains(info.shortName) && !others.contains(where: { $0.shortName == info.shortName }) {
        others.append(info)
      }
    }
    return catalog + others.map(\.shortName) + others.map(\.name)
  }()

  /// Whether `info` is the MSR `upper` (uppercased) names: its name, its short name, or the
  /// short name after `KVM_` or `MSR_` (`MSRCatalog.lookup`'s rule).
  private static func names(_ info: MSRInfo, _ upper: String) -> Bool {
    upper == info.name || upper == info.shortName || upper == "KVM_" + info.shortName
      || upper == "MSR_" + info.shortName
  }

  /// Whether `name` names an MSR crpin knows under some mechanism.
  static func isKnown(_ name: String) -> Bool {
    let upper = name.uppercased()
    return MSRCatalog.lookup(name: name) != nil
      || tables.contains { $0.msrs.contains { names($0, upper) } }
  }

  /// The MSR number under `mechanism`.
  public func resolve(under mechanism: Mechanism) -> UInt32 {
    switch self {
    case .number(let number): return number
    case .name(let name):
      let upper = name.uppercased()
      if let own = Self.tables.first(where: { $0.mechanism == mechanism })?.msrs.first(where: {
        Self.names($0, upper)
      }) {
        return own.number
      }
      for table in Self.tables {
        if let info = table.msrs.first(where: { Self.names($0, upper) }) { return info.number }
      }
      return MSRCatalog.lookup(name: name)?.number ?? 0
    }
  }

  /// The mechanisms under which `name` means another number than under the default
  /// mechanism, with that number (for the fast parser's `FastMSR`).
  static func otherNumbers(of name: String) -> [(mechanism: Mechanism, number: UInt32)] {
    let reference = MSRReference.name(name)
    let usual = reference.resolve(under: .kvm2020)
    return Mechanism.allCases.compactMap { mechanism in
      let number = reference.resolve(under: mechanism)
      return number == usual ? nil : (mechanism, number)
    }
  }

  /// How a statement under `mechanism` names MSR `number` so that it resolves back to it:
  /// the design's own name for its MSRs, else `MSRCatalog`'s display name.
  public static func displayName(_ number: UInt32, under mechanism: Mechanism) -> String {
    if renamesMSRs(mechanism),
      let own = tables.first(where: { $0.mechanism == mechanism })?.msrs.first(where: { $0.number == number })
    {
      return own.shortName
    }
    return MSRCatalog.displayName(number)
  }

  /// The mechanisms whose MSR names differ from `MSRCatalog`'s (kvm-rfc2's 0x4b564d06–09).
  private static let renaming: [Mechanism] =
    tables.filter { table in
      table.msrs.contains { MSRCatalog.displayName($0.number) != $0.shortName }
    }.map(\.mechanism)

  /// Whether statements under `mechanism` name some MSRs otherwise than `Action.statement`.
  public static func renamesMSRs(_ mechanism: Mechanism) -> Bool { renaming.contains(mechanism) }
}
