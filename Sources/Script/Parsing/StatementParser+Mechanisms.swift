import Engine

/// The statements of the rival mechanisms and the exploit lesson: `option mechanism`,
/// `hypercall lock_cr`, `vtl1 policy`, `host sregs`, and `expect[MECHANISM]`.
extension StatementParser {
  /// `kvm-2020`, `heki`, …
  static func mechanism(_ cursor: inout TokenCursor) throws(ScriptError) -> Mechanism {
    let names = Mechanism.allCases.map(\.rawValue)
    let token = try cursor.requireWord("a mechanism (\(names.joined(separator: ", ")))")
    guard let mechanism = Mechanism(rawValue: token.keyword ?? "") else {
      throw cursor.error(
        Suggestions.message(
          "mechanism", token, among: names, hint: "mechanisms: \(names.joined(separator: ", "))"),
        at: token.column)
    }
    return mechanism
  }

  /// `[heki]` or `[heki, vtl1]` right after `expect`; empty when absent.
  static func mechanismQualifier(_ cursor: inout TokenCursor) throws(ScriptError) -> [Mechanism] {
    guard cursor.peek?.isSymbol("[") == true else { return [] }
    _ = cursor.next()
    var mechanisms: [Mechanism] = []
    while true {
      let mechanism = try mechanism(&cursor)
      if !mechanisms.contains(mechanism) { mechanisms.append(mechanism) }
      guard let token = cursor.next() else {
        throw cursor.error("expected ']' to close the mechanism list")
      }
      if token.isSymbol("]") { return mechanisms }
      guard token.isSymbol(",") else {
        throw cursor.error(
          "expected ',' or ']' in the mechanism list, found \(token.quoted)", at: token.column)
      }
    }
  }

  /// `hypercall lock_cr cr0|cr4|N, EXPR [, EXPR]`.
  static func hypercall(_ cursor: inout TokenCursor) throws(ScriptError) -> ActionTemplate {
    let name = try cursor.requireWord("`lock_cr` after `hypercall`")
    guard name.keyword == "lock_cr" else {
      throw cursor.error(
        Suggestions.message(
          "hypercall", name, among: ["lock_cr"],
          hint: "crpin models KVM_HC_LOCK_CR_UPDATE: `hypercall lock_cr`"),
        at: name.column)
    }
    let crToken = try cursor.require("cr0, cr4 or a CR number after `lock_cr`")
    let cr: UInt64
    switch crToken.kind {
    case .number(let value): cr = value
    case .word where crToken.keyword == "cr0": cr = 0
    case .word where crToken.keyword == "cr4": cr = 4
    default:
      throw cursor.error(
        "expected cr0, cr4 or a CR number after `lock_cr`, found \(crToken.quoted)", at: crToken.column)
    }
    try cursor.requireSymbol(",", after: "the control register")
    let bits = try ExpressionParser.parse(&cursor)
    guard cursor.peek?.isSymbol(",") == true else { return .hypercallLockCR(cr: cr, bits: bits, flags: nil) }
    _ = cursor.next()
    return .hypercallLockCR(cr: cr, bits: bits, flags: try ExpressionParser.parse(&cursor))
  }

  /// `drop`, `gp` or `allow`, after `vtl1 policy`.
  static func vtl1Policy(_ cursor: inout TokenCursor) throws(ScriptError) -> VTL1Policy {
    let policies = VTL1Policy.allCases.map(\.rawValue)
    let token = try cursor.requireWord("a policy (\(policies.joined(separator: ", ")))")
    guard let policy = VTL1Policy(rawValue: token.keyword ?? "") else {
      throw cursor.error(
        Suggestions.message("VTL1 policy", token, among: policies, hint: "use drop, gp or allow"),
        at: token.column)
    }
    return policy
  }

  /// `host sregs cr0=EXPR cr3=EXPR cr4=EXPR efer=EXPR`: any subset, each at most once.
  static func hostSregs(_ cursor: inout TokenCursor) throws(ScriptError) -> ActionTemplate {
    var values: [SregsValue] = []
    while let token = cursor.next() {
      guard let register = RegisterName(rawValue: token.keyword ?? "") else {
        throw cursor.error(
          Suggestions.message(
            "register", token, among: RegisterName.allCases.map(\.rawValue),
            hint: "`host sregs` sets cr0=…, cr3=…, cr4=…, efer=…"),
          at: token.column)
      }
      guard !values.contains(where: { $0.register == register }) else {
        throw cursor.error("\(token.text) is given twice", at: token.column)
      }
      try cursor.requireSymbol("=", after: token.text)
      values.append(SregsValue(register: register, operand: try ExpressionParser.parse(&cursor)))
    }
    return .hostSregs(values)
  }
}
