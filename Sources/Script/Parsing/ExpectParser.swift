import Engine

/// Parses what follows `expect`.
enum ExpectParser {
  static let outcomeWords = OutcomeKind.allCases.map(\.rawValue)

  static func parse(_ cursor: inout TokenCursor) throws(ScriptError) -> Expectation {
    let first = try cursor.requireWord(
      "what to expect: an outcome (\(outcomeWords.joined(separator: ", "))), `rule ID`, `note \"text\"` or `NAME == EXPR`"
    )
    let keyword = first.keyword ?? ""
    if let kind = OutcomeKind(rawValue: keyword) {
      if cursor.atEnd { return .outcome(kind) }
      if kind != .stopped { try cursor.requireEnd(after: "the outcome") }
    }
    switch keyword {
    case "rule":
      let token = try cursor.requireWord("a rule identifier such as pin.cr4.high")
      guard let rule = RuleID(rawValue: token.keyword ?? "") else {
        throw cursor.error(
          Suggestions.message("rule", token, among: RuleID.allCases.map(\.rawValue)), at: token.column)
      }
      try cursor.requireEnd(after: "the rule")
      return .rule(rule)
    case "note":
      let token = try cursor.require("a quoted text after `note`")
      guard case .string(let text) = token.kind else {
        throw cursor.error("expected a quoted text after `note`, found \(token.quoted)", at: token.column)
      }
      try cursor.requireEnd(after: "the note")
      return .note(text)
    default:
      let target = try self.target(keyword, first, cursor)
      guard let op = cursor.next() else {
        if target == .stopped {
          throw cursor.error("expected '==' or '!=' after `stopped` (or write `expect stopped` alone)")
        }
        throw cursor.error("expected '==' or '!=' after \(first.quoted)")
      }
      if op.isSymbol("=") { throw cursor.error("unexpected '=': compare with '=='", at: op.column) }
      guard op.isSymbol("==") || op.isSymbol("!=") else {
        throw cursor.error("expected '==' or '!=' after \(first.quoted), found \(op.quoted)", at: op.column)
      }
      let operand = try ExpressionParser.parse(&cursor)
      try cursor.requireEnd(after: "the expected value")
      if target.isFlag, let value = constantValue(of: operand.expression), value > 1 {
        throw cursor.error(
          "\(target.displayName) is 0 or 1: comparing it with \(Hex.short(value)) would never hold",
          at: operand.column)
      }
      return .compare(target, equal: op.isSymbol("=="), operand)
    }
  }

  /// The value of an expression made of numbers only (`2`, `1 << 3`), else `nil`.
  private static func constantValue(of expression: Expression) -> UInt64? {
    switch expression {
    case .number(let value): value
    case .not(let inner): constantValue(of: inner).map { ~$0 }
    case .binary(let op, let left, let right):
      constantValue(of: left).flatMap { a in constantValue(of: right).map { op.apply(a, $0) } }
    case .bit, .register, .pins, .smram: nil
    }
  }

  private static func target(_ keyword: String, _ token: Token, _ cursor: TokenCursor) throws(ScriptError)
    -> ExpectTarget
  {
    switch keyword {
    case "value": return .value
    case "smm": return .smm
    case "l2": return .l2
    case "stopped": return .stopped
    default: break
    }
    switch try? ExpressionParser.name(token.text, token: token, cursor: cursor) {
    case .register(let name): return .register(name)
    case .pins(let field): return .pins(field)
    case .smram(let name): return .smram(name)
    case .bit(let bit): return .bit(bit)
    default:
      let candidates =
        outcomeWords + ["rule", "note", "value", "smm", "l2", "stopped"] + Suggestions.expressionNames
      throw cursor.error(
        Suggestions.message(
          "expectation", token, among: candidates,
          hint:
            "expect an outcome (\(outcomeWords.joined(separator: ", "))), `rule ID`, `note \"text\"`, or NAME == EXPR"
        ),
        at: token.column)
    }
  }
}
