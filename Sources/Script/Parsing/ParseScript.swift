import Engine

/// Parses a whole script before anything runs, so every error is reported first.
///
/// The VM is assumed to start as `Session()` does, with one vCPU, unless the first statement is
/// `vcpus N`; `vcpu N` beyond the VM's vCPUs is an error here. Blank lines and plain comments
/// produce nothing; `#>` lines produce `.narration` statements.
public func parseScript(_ source: String) -> Result<[ParsedStatement], ScriptError> {
  parseScript(source, initialVCPUs: 1)
}

/// `parseScript(_:)` for a session whose VM starts with `initialVCPUs` vCPUs.
public func parseScript(_ source: String, initialVCPUs: Int) -> Result<[ParsedStatement], ScriptError> {
  var statements: [ParsedStatement] = []
  var checks = StatementOrder(initialVCPUs: initialVCPUs)
  for (offset, line) in ScriptLines.split(source).enumerated() {
    do throws(ScriptError) {
      let line = try LineEnds.checked(line, number: offset + 1)
      guard let statement = try StatementParser.parse(String(line), lineNumber: offset + 1) else {
        continue
      }
      try checks.admit(statement)
      statements.append(statement)
    } catch {
      return .failure(error)
    }
  }
  return .success(statements)
}

/// The checks `parseScript` makes across statements: `vcpus N` only first, `vcpu N` only for
/// a vCPU the VM will have.
struct StatementOrder {
  /// How many vCPUs the VM has at this point of the script.
  private var vcpuCount: Int
  /// Whether a statement other than narration came before.
  private var sawStatement = false

  init(initialVCPUs: Int) { vcpuCount = initialVCPUs }

  /// Checks `statement` against the statements before it.
  mutating func admit(_ statement: ParsedStatement) throws(ScriptError) {
    switch statement.command {
    case .narration: break
    case .vcpus(let count):
      if sawStatement {
        throw ScriptError(line: statement.line, column: 1, message: Session.vcpusNotFirstMessage)
      }
      vcpuCount = count
      sawStatement = true
    case .selectVCPU(let index):
      if index >= vcpuCount {
        throw ScriptError(
          line: statement.line, column: statement.operandColumn,
          message: Session.noSuchVCPUMessage(index, count: vcpuCount))
      }
      sawStatement = true
    case .action, .expect: admitActionOrExpect()
    }
  }

  /// Records an action or `expect` (they are allowed anywhere).
  mutating func admitActionOrExpect() { sawStatement = true }
}

/// Line splitting shared by the parser and the CLI's error display.
public enum ScriptLines {
  /// The lines of `source`: split at `\n`, a trailing `\r` kept (the lexer skips it).
  ///
  /// Split by bytes, not `Character`s: `"\r\n"` is one `Character`, so a split on
  /// `Character("\n")` would leave a CRLF file as one long line.
  public static func split(_ source: String) -> [Substring] {
    var lines = rawLines(source)
    if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
    return lines
  }

  /// The text of line `number` (1-based) of `source`, if it exists.
  public static func line(_ number: Int, of source: String) -> String? {
    var current = 1
    for line in source.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      if current == number { return String(Substring(line)) }
      current += 1
    }
    return nil
  }

  private static func rawLines(_ source: String) -> [Substring] {
    source.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Substring($0) }
  }
}
