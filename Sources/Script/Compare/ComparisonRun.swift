import Engine

/// `Comparison.run` a slice at a time, for a caller with a frame to draw (the TUI's compare
/// pane): `advance(by:)` parses or runs at most that many statements, and `result` holds the
/// comparison once every column has run — the same comparison `Comparison.run` returns.
public struct ComparisonRun: Sendable {
  private enum Phase: Sendable {
    /// Lines `next...` of the script still to parse.
    case parsing(next: Int, order: StatementOrder)
    /// A column on its way, at statement `next`.
    case running(Comparison.ColumnRun, next: Int)
    /// Done.
    case finished(Result<Comparison, ScriptError>)
  }

  private var phase: Phase
  private var lines: [Substring]
  private var statements: [ParsedStatement] = []
  private var comparison: Comparison
  private let kept: Comparison.Kept
  /// Lines parsed and statements run so far (a statement counts once per column).
  public private(set) var done = 0

  /// A run of `source` under each of `mechanisms`, nothing done yet, keeping what `kept` says
  /// of each step.
  public init(
    _ source: String, mechanisms: [Mechanism] = Mechanism.allCases,
    keeping kept: Comparison.Kept = .everything
  ) {
    self.init(source, columns: mechanisms.map { Comparison.Column($0) }, keeping: kept)
  }

  /// A run of `source` in each of `columns` (a mechanism and versions each), nothing done yet.
  public init(_ source: String, columns: [Comparison.Column], keeping kept: Comparison.Kept = .everything) {
    lines = ScriptLines.split(source)
    comparison = Comparison(columns: columns)
    self.kept = kept
    phase = .parsing(next: 0, order: StatementOrder(initialVCPUs: 1))
  }

  /// The whole work: every line parsed, and (once they are known) every statement run in every
  /// column. Until parsing ends it counts each line once per column too.
  public var total: Int {
    switch phase {
    case .parsing: lines.count * (1 + comparison.mechanisms.count)
    case .running, .finished: lines.count + statements.count * comparison.mechanisms.count
    }
  }

  /// The comparison, or the parse error, once everything ran.
  public var result: Result<Comparison, ScriptError>? {
    if case .finished(let result) = phase { result } else { nil }
  }

  /// Parses or runs at most `budget` statements; returns how many it did (0 once finished).
  @discardableResult
  public mutating func advance(by budget: Int) -> Int {
    var work = 0
    slices: while work < budget {
      switch phase {
      case .finished:
        break slices
      case .parsing(let next, var order):
        guard next < lines.count else {
          phase = start(column: 0)
          continue
        }
        work += 1
        do throws(ScriptError) {
          let line = try LineEnds.checked(lines[next], number: next + 1)
          if let statement = try StatementParser.parse(String(line), lineNumber: next + 1) {
            try order.admit(statement)
            statements.append(statement)
          }
          phase = .parsing(next: next + 1, order: order)
        } catch {
          phase = .finished(.failure(error))
        }
      case .running(var column, let next):
        let slice = statements[next..<min(statements.count, next + budget - work)]
        let (ran, stopped) = comparison.run(slice, in: &column, keeping: kept)
        work += ran
        if stopped || next + ran == statements.count {
          comparison.finishColumn(column)
          phase = start(column: column.column + 1)
        } else {
          phase = .running(column, next: next + ran)
        }
      }
    }
    done += work
    return work
  }

  /// Column `index` at its first statement, or the end when every column ran.
  private func start(column index: Int) -> Phase {
    guard comparison.columns.indices.contains(index) else { return .finished(.success(comparison)) }
    return .running(comparison.startColumn(index), next: 0)
  }
}
