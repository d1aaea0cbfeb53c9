import Engine

/// An expression of the script language reduced, when it is parsed, to a function of at most
/// one register: `cr4 & ~SMEP`, `SMEP | SMAP | UMIP`, `0xb41c000`.
///
/// Every bit of `| & ^ ~` over constants and one register `x` is one of 0, 1, `x` or `~x`, so
/// the expression is known from its values at `x = 0` and `x = ~0`: bit by bit,
/// `f(x) = (x & (f(0) ^ f(~0))) ^ f(0)`. Shifts are kept only between constants.
struct FastValue: Equatable, Sendable {
  /// The value with the register 0.
  var atZero: UInt64
  /// The value with the register all ones.
  var atOnes: UInt64
  /// The register the value reads; nil for a constant.
  var register: RegisterName?

  /// A constant.
  init(constant: UInt64) {
    register = nil
    atZero = constant
    atOnes = constant
  }

  /// The register's value.
  init(register: RegisterName) {
    self.register = register
    atZero = 0
    atOnes = .max
  }

  /// Whether the value does not depend on any register.
  var isConstant: Bool { atZero == atOnes }

  /// The value against `registers`, exactly what `Expression.evaluate` gives.
  func value(_ registers: Registers) -> UInt64 {
    guard let register else { return atZero }
    return (registers[register] & (atZero ^ atOnes)) ^ atZero
  }

  /// `~self`.
  var inverted: FastValue {
    var value = self
    value.atZero = ~atZero
    value.atOnes = ~atOnes
    return value
  }

  /// `self op other`; nil when the result is not a function of one register (two registers, or
  /// a shift of a register).
  func combined(_ op: BinaryOperator, _ other: FastValue) -> FastValue? {
    switch op {
    case .shiftLeft, .shiftRight:
      guard isConstant, other.isConstant else { return nil }
      return FastValue(constant: op.apply(atZero, other.atZero))
    case .or, .xor, .and:
      var result = self
      switch (register, other.register) {
      case (nil, _): result.register = other.register
      case (let mine?, let theirs?) where mine != theirs: return nil
      default: break
      }
      result.atZero = op.apply(atZero, other.atZero)
      result.atOnes = op.apply(atOnes, other.atOnes)
      return result
    }
  }
}

/// `ExpressionParser` for `ByteCursor`: the same grammar, precedence and limits, computing a
/// `FastValue` instead of a tree. nil for anything it does not handle — an error, `pins.X`,
/// `smram.X`, two registers, a shifted register — which then goes to `ExpressionParser`.
struct FastExpressionParser {
  private var nodes = 0
  private var depth = 0
  /// Whether the expression so far is what `ExpressionParser` makes a plain `.number`: one
  /// number, in parentheses or not, under an even number of `~` at each level (`~~5`, `(5)`).
  private var isNumber = true

  /// The expression at the cursor, consumed.
  static func parse(_ cursor: inout ByteCursor, names: inout NameTable) -> FastValue? {
    parseOperand(&cursor, names: &names)?.value
  }

  /// The expression at the cursor, consumed, and whether `ExpressionParser` gives a plain
  /// number for it (the statement then does not compute its value: `ActionTemplate.computesValue`).
  static func parseOperand(_ cursor: inout ByteCursor, names: inout NameTable)
    -> (value: FastValue, isNumber: Bool)?
  {
    var parser = FastExpressionParser()
    guard let value = parser.binary(&cursor, &names, minimumPrecedence: 1) else { return nil }
    return (value, parser.isNumber)
  }

  private mutating func count() -> Bool {
    nodes += 1
    return nodes <= ExpressionParser.maxNodes
  }

  private mutating func binary(_ cursor: inout ByteCursor, _ names: inout NameTable, minimumPrecedence: Int)
    -> FastValue?
  {
    guard var left = unary(&cursor, &names) else { return nil }
    while let op = Self.binaryOperator(&cursor), op.precedence >= minimumPrecedence {
      cursor.position += op == .shiftLeft || op == .shiftRight ? 2 : 1
      isNumber = false
      guard count(), let right = binary(&cursor, &names, minimumPrecedence: op.precedence + 1),
        let value = left.combined(op, right)
      else { return nil }
      left = value
    }
    return left
  }

  /// The binary operator next (not consumed), if any.
  private static func binaryOperator(_ cursor: inout ByteCursor) -> BinaryOperator? {
    cursor.skipBlanks()
    switch cursor.current {
    case UInt8(ascii: "|"): return .or
    case UInt8(ascii: "^"): return .xor
    case UInt8(ascii: "&"): return .and
    case UInt8(ascii: "<") where cursor.following == UInt8(ascii: "<"): return .shiftLeft
    case UInt8(ascii: ">") where cursor.following == UInt8(ascii: ">"): return .shiftRight
    default: return nil
    }
  }

  private mutating func unary(_ cursor: inout ByteCursor, _ names: inout NameTable) -> FastValue? {
    var negations = 0
    while cursor.accept(UInt8(ascii: "~")) {
      guard count() else { return nil }
      negations += 1
    }
    guard let value = primary(&cursor, &names) else { return nil }
    guard negations % 2 == 1 else { return value }
    isNumber = false
    return value.inverted
  }

  private mutating func primary(_ cursor: inout ByteCursor, _ names: inout NameTable) -> FastValue? {
    guard count() else { return nil }
    cursor.skipBlanks()
    if ASCII.isDigit(cursor.current) { return cursor.number().map(FastValue.init(constant:)) }
    if let word = cursor.word() {
      isNumber = false
      return names.expressionName(word, in: cursor)
    }
    guard cursor.accept(UInt8(ascii: "(")) else { return nil }
    depth += 1
    guard depth <= ExpressionParser.maxDepth, let inner = binary(&cursor, &names, minimumPrecedence: 1),
      cursor.accept(UInt8(ascii: ")"))
    else { return nil }
    depth -= 1
    return inner
  }
}
