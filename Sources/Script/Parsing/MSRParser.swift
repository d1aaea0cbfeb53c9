import Engine

/// An MSR operand: a number (32 bits) or a name, with or without `MSR_KVM_`/`MSR_`, resolved
/// when the statement runs (see `MSRReference`).
enum MSRParser {
  static func parse(_ cursor: inout TokenCursor) throws(ScriptError) -> MSRReference {
    let token = try cursor.require("an MSR (a number, or a name such as CR4_PINNED_HIGH or EFER)")
    switch token.kind {
    case .number(let value):
      guard let number = UInt32(exactly: value) else {
        throw cursor.error("MSR numbers are 32 bits; \(token.quoted) is larger", at: token.column)
      }
      return .number(number)
    case .word(let name):
      if MSRReference.isKnown(name) { return .name(name) }
      throw cursor.error(
        Suggestions.message(
          "MSR", token, among: Suggestions.msrNames,
          hint: "known MSRs: \(MSRCatalog.all.map(\.shortName).joined(separator: ", ")); any other by number"),
        at: token.column)
    default:
      throw cursor.error(
        "expected an MSR (a number, or a name such as CR4_PINNED_HIGH or EFER), found \(token.quoted)",
        at: token.column)
    }
  }
}
