import Engine

/// Parses `EXPR`: numbers, names, `|`, `^`, `&`, `<<`, `>>`, `~` and parentheses, with C's
/// precedence. Size and nesting are bounded so no input can make evaluation deep.
struct ExpressionParser {
  static let maxNodes = 256
  static let maxDepth = 32

  private var nodes = 0
  private var depth = 0

  static func parse(_ cursor: inout TokenCursor) throws(ScriptError) -> Operand {
    var parser = ExpressionParser()
    let column = cursor.column
    let expression = try parser.binary(&cursor, minimumPrecedence: 1)
    return Operand(expression: expression, column: column)
  }

  private mutating func count(_ cursor: TokenCursor, at column: Int) throws(ScriptError) {
    nodes += 1
    if nodes > Self.maxNodes {
      throw cursor.error("expression too long: at most \(Self.maxNodes) terms and operators", at: column)
    }
  }

  private mutating func binary(_ cursor: inout TokenCursor, minimumPrecedence: Int) throws(ScriptError)
    -> Expression
  {
    var left = try unary(&cursor)
    while let token = cursor.peek, case .symbol(let symbol) = token.kind,
      let op = BinaryOperator(rawValue: symbol), op.precedence >= minimumPrecedence
    {
      _ = cursor.next()
      try count(cursor, at: token.column)
      let right = try binary(&cursor, minimumPrecedence: op.precedence + 1)
      left = .binary(op, left, right)
    }
    return left
  }

  private mutating func unary(_ cursor: inout TokenCursor) throws(ScriptError) -> Expression {
    var negations = 0
    while cursor.peek?.isSymbol("~") == true {
      let token = cursor.next()
      try count(cursor, at: token?.column ?? cursor.column)
      negations += 1
    }
    var expression = try primary(&cursor)
    if negations % 2 == 1 { expression = .not(expression) }
    return expression
  }

  private mutating func primary(_ cursor: inout TokenCursor) throws(ScriptError) -> Expression {
    let token = try cursor.require("a value (a number, a bit name such as SMEP, or a register)")
    try count(cursor, at: token.column)
    switch token.kind {
    case .number(let value): return .number(value)
    case .word(let word): return try Self.name(word, token: token, cursor: cursor)
    case .symbol("("):
      depth += 1
      guard depth <= Self.maxDepth else {
        throw cursor.error(
          "expression nested too deeply: at most \(Self.maxDepth) parentheses", at: token.column)
      }
      let inner = try binary(&cursor, minimumPrecedence: 1)
      depth -= 1
      guard let close = cursor.next() else {
        throw cursor.error("missing ')' to close the '(' at column \(token.column)")
      }
      guard close.isSymbol(")") else {
        throw cursor.error(
          "expected ')' to close the '(' at column \(token.column), found \(close.quoted)", at: close.column)
      }
      return inner
    default:
      throw cursor.error(
        "expected a value (a number, a bit name such as SMEP, or a register), found \(token.quoted)",
        at: token.column)
    }
  }

  /// A name in an expression: a register, `pins.X`, `smram.X`, or a bit.
  static func name(_ word: String, token: Token, cursor: TokenCursor) throws(ScriptError) -> Expression {
    let lower = word.lowercased()
    if let register = RegisterName(rawValue: lower) { return .register(register) }
    if lower.hasPrefix("pins."), let field = PinField(rawValue: String(lower.dropFirst(5))) {
      return .pins(field)
    }
    if lower.hasPrefix("smram."), let register = RegisterName(rawValue: String(lower.dropFirst(6))) {
      return .smram(register)
    }
    if let bit = BitCatalog.lookup(word) { return .bit(bit) }
    throw cursor.error(
      Suggestions.message(
        "name", token, among: Suggestions.expressionNames,
        hint: "a value is a number, a bit name such as SMEP or cr4.SMEP, or cr0, cr3, cr4, efer"),
      at: token.column)
  }
}
