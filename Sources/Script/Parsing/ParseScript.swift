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
  var vcpuCount = initialVCPUs
  var sawStatement = false
  for (offset, line) in ScriptLines.split(source).enumerated() {
    let lineNumber = offset + 1
    do throws(ScriptError) {
      guard let statement = try StatementParser.parse(String(line), lineNumber: lineNumber) else {
        continue
      }
      switch statement.command {
      case .narration: break
      case .vcpus(let count):
        if sawStatement {
          throw ScriptError(line: lineNumber, column: 1, message: Session.vcpusNotFirstMessage)
        }
        vcpuCount = count
        sawStatement = true
      case .selectVCPU(let index):
        if index >= vcpuCount {
          throw ScriptError(
            line: lineNumber, column: statement.operandColumn,
            message: Session.noSuchVCPUMessage(index, count: vcpuCount))
        }
        sawStatement = true
      case .action, .expect: sawStatement = true
      }
      statements.append(statement)
    } catch {
      return .failure(error)
    }
  }
  return .success(statements)
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
