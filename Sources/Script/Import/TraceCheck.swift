import Engine

/// `crpin check trace`: which of a traced guest's actions each pinning design would refuse or
/// change, by phase, and the first that would have broken the guest. Pure.
///
/// The trace is imported as `crpin import trace` writes it and run as `crpin compare` runs a
/// script (a guest booted under each design) under each mechanism asked for and under `none`,
/// the recording host (no CR pinning). A design **refuses**
/// an action when its cell is a fault, `dropped`, `VM stops`, `rejected` or `stopped` where the
/// reference's is not; it **changes** it when the cell differs otherwise (`ok, rewritten`, another
/// value read). The reference is the `none` column; where the trace shows an outcome and crpin's
/// `none` disagrees, that is reported as a model disagreement.
public struct TraceCheck: Sendable {
  /// One replayed action that some design treats differently from the trace's host.
  public struct Finding: Sendable, Equatable {
    /// The trace line.
    public let traceLine: Int
    /// The vCPU.
    public let vcpu: Int
    /// The timestamp.
    public let timestamp: String
    /// The statement replaying it.
    public let statement: String
    /// The phase.
    public let phase: TracePhase
    /// The reference outcome (the trace's host: `none`).
    public let reference: String
    /// Each checked mechanism's cell, in `TraceCheck.mechanisms` order.
    public let cells: [String]
  }

  /// The designs checked, in order.
  public let mechanisms: [Mechanism]
  /// The actions some design refuses or changes, in trace order.
  public let findings: [Finding]
  /// The number of replayed actions in each phase.
  public let actionsByPhase: [TracePhase: Int]
  /// The vCPUs with actions in each phase.
  public let vcpusByPhase: [TracePhase: Set<Int>]
  /// Where crpin's `none` disagrees with the trace's own outcome: `line N: …`.
  public let disagreements: [String]
  /// Errors while running a column (the column stopped there).
  public let errors: [String]

  /// Checks `script` (imported from `trace`) under `mechanisms`.
  public static func run(_ trace: KVMTrace, _ script: ImportedScript, mechanisms: [Mechanism]) -> TraceCheck {
    let columns = mechanisms.contains(.none) ? mechanisms : mechanisms + [.none]
    let statements: [ParsedStatement]
    switch parseScript(script.text) {
    case .failure(let error):
      return TraceCheck(
        mechanisms: mechanisms, findings: [], actionsByPhase: [:], vcpusByPhase: [:], disagreements: [],
        errors: ["the imported script does not parse: line \(error.line): \(error.message)"])
    case .success(let parsed): statements = parsed
    }
    var cells: [Int: [String]] = [:]
    var errors: [String] = []
    for (column, mechanism) in columns.enumerated() {
      if let error = runColumn(column, of: columns.count, mechanism, statements, script, into: &cells) {
        errors.append("under \(mechanism.rawValue): line \(error.line): \(error.message)")
      }
    }
    let referenceColumn = columns.firstIndex(of: .none) ?? columns.count - 1
    var findings: [Finding] = []
    var counts: [TracePhase: Int] = [:]
    var vcpus: [TracePhase: Set<Int>] = [:]
    var disagreements: [String] = []
    for statement in statements {
      guard let index = script.eventOfLine[statement.line], let row = cells[statement.line] else { continue }
      let traced = trace.events[index]
      let phase = script.phases[index]
      counts[phase, default: 0] += 1
      vcpus[phase, default: []].insert(traced.vcpu)
      let reference = row[referenceColumn]
      let action = Self.statement(statement.text)
      if let shown = script.traceOutcome[index], !Self.agrees(reference, shown) {
        disagreements.append(
          "line \(traced.line): the trace shows \(shown) for `\(action)`, crpin's model "
            + "of the recording host gives \(reference)")
      }
      let checked = mechanisms.map { row[columns.firstIndex(of: $0) ?? referenceColumn] }
      guard checked.contains(where: { $0 != reference }) else { continue }
      findings.append(
        Finding(
          traceLine: traced.line, vcpu: traced.vcpu, timestamp: traced.timestamp,
          statement: action, phase: phase, reference: reference, cells: checked))
    }
    return TraceCheck(
      mechanisms: mechanisms, findings: findings, actionsByPhase: counts, vcpusByPhase: vcpus,
      disagreements: disagreements, errors: errors)
  }

  /// Runs the statements on a guest booted under `mechanism` (as `crpin compare` does, in one
  /// pass: a trace can have a million lines), filling column `column` of each replayed line's
  /// cells (`OutcomeCell`; empty when it did not run). Returns the error that stopped it.
  private static func runColumn(
    _ column: Int, of count: Int, _ mechanism: Mechanism, _ statements: [ParsedStatement],
    _ script: ImportedScript, into cells: inout [Int: [String]]
  ) -> ScriptError? {
    var session = Session(vm: Comparison.startingVM(mechanism))
    for statement in statements {
      switch statement.command {
      case .narration, .expect: continue
      default: break
      }
      do throws(ScriptError) {
        guard let record = try session.run(statement), script.eventOfLine[statement.line] != nil,
          let cell = OutcomeCell.text(for: record)
        else { continue }
        cells[statement.line, default: Array(repeating: "", count: count)][column] = cell
      } catch {
        return error
      }
    }
    return nil
  }

  /// The first finding where `mechanism` differs from the reference.
  public func firstBreak(_ mechanism: Mechanism) -> Finding? {
    guard let column = mechanisms.firstIndex(of: mechanism) else { return nil }
    return findings.first { $0.cells[column] != $0.reference }
  }

  /// Whether a cell refuses (rather than changes) the action.
  public static func refuses(_ cell: String) -> Bool {
    cell.hasPrefix("#") || ["dropped", "VM stops", "rejected", "stopped"].contains(cell)
  }

  /// 0 when no design checked breaks an action, 1 when one does, 2 when a column could not run.
  public var exitCode: Int32 {
    !errors.isEmpty ? 2 : mechanisms.contains(where: { firstBreak($0) != nil }) ? 1 : 0
  }

  /// The statement without its trailing comment.
  static func statement(_ text: String) -> String {
    let code = text.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    var statement = String(code)
    while statement.last == " " { statement.removeLast() }
    return statement
  }

  /// Whether a comparison cell agrees with the trace's `ok`/`gp`/`ud`.
  static func agrees(_ cell: String, _ shown: String) -> Bool {
    switch shown {
    case "gp": cell == "#GP"
    case "ud": cell == "#UD"
    default: !refuses(cell)
    }
  }
}
