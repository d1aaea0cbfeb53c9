import Engine

/// `crpin compare`: the same script under every mechanism, side by side.
///
/// Each column starts from a fresh VM created under its mechanism and booted — as if the script
/// were preceded by `option mechanism M` and `boot` (so the guest pinned the way that design's
/// kernel does); a leading `vcpus N` still works, every vCPU booting under the mechanism. The
/// script then runs unchanged. Plain `expect` lines are not checked (a script is usually
/// written for one mechanism); `expect[M] …` lines are checked in column M only.
public struct Comparison: Sendable {
  /// One executed statement: its line, its text and a cell per mechanism.
  public struct Row: Sendable, Equatable {
    /// The 1-based line.
    public let line: Int
    /// The statement as written.
    public let text: String
    /// The cell of each mechanism, in `Comparison.mechanisms` order.
    public internal(set) var results: [Cell]

    /// The cells' words, in `Comparison.mechanisms` order; empty when the statement did not
    /// run under that mechanism. A cell ends in ` ✗` when an `expect[M]` line after the step
    /// failed under M.
    public var cells: [String] { results.map(\.text) }
  }

  /// One mechanism's cell of a row.
  public struct Cell: Sendable, Equatable {
    /// How the step ended, or `nil` when it did not run under the mechanism.
    public internal(set) var outcome: OutcomeCell?
    /// Whether an `expect[M]` line after the step failed under the mechanism.
    public internal(set) var expectationFailed = false

    /// The words: the outcome's, with ` ✗` after a failed expectation; empty when not run.
    public var text: String {
      guard let outcome else { return "" }
      return outcome.text + (expectationFailed ? " ✗" : "")
    }
  }

  /// A mechanism-qualified `expect` that did not hold.
  public struct Failure: Sendable {
    /// The mechanism it was checked under.
    public let mechanism: Mechanism
    /// The column's label (`kvm-2020`, `kvm-2020@kvm6.4`).
    public let column: String
    /// The line and what it found.
    public let failure: ExpectationFailure
  }

  /// One column: a mechanism and the guest kernel and host KVM versions its VM boots with.
  public struct Column: Sendable, Equatable {
    /// The pinning design.
    public let mechanism: Mechanism
    /// The guest kernel's version (`VMOptions.kernel`).
    public let kernel: LinuxVersion
    /// The host KVM's version (`VMOptions.kvm`).
    public let kvm: LinuxVersion

    /// A column of `mechanism` under the given versions (default 5.8 and 5.8).
    public init(_ mechanism: Mechanism, kernel: LinuxVersion = .seedBase, kvm: LinuxVersion = .seedBase) {
      self.mechanism = mechanism
      self.kernel = kernel
      self.kvm = kvm
    }

    /// `kvm-2020` at the default versions; else the versions that differ after an `@`:
    /// `kvm-2020@kvm6.4`, `native@linux5.9`, `heki@linux5.9+kvm6.4`.
    public var label: String {
      var versions: [String] = []
      if kernel != .seedBase { versions.append("linux\(kernel)") }
      if kvm != .seedBase { versions.append("kvm\(kvm)") }
      return mechanism.rawValue + (versions.isEmpty ? "" : "@" + versions.joined(separator: "+"))
    }

    /// The options its VM is created with.
    public var options: VMOptions {
      var options = VMOptions()
      options.mechanism = mechanism
      options.kernel = kernel
      options.kvm = kvm
      return options
    }

    /// Every mechanism in `mechanisms` under every kernel in `kernels` and every KVM in `kvms`,
    /// a mechanism's version columns side by side. A design whose hypervisor is not KVM (VTL1's
    /// Hyper-V, Xen) gets no KVM-version columns: the KVM version does not reach it.
    public static func product(
      _ mechanisms: [Mechanism], kernels: [LinuxVersion] = [.seedBase], kvms: [LinuxVersion] = [.seedBase]
    ) -> [Column] {
      mechanisms.flatMap { mechanism in
        let ownKVMs = mechanism.design?.hypervisorIsKVM ?? true ? kvms : [.seedBase]
        return kernels.flatMap { kernel in ownKVMs.map { Column(mechanism, kernel: kernel, kvm: $0) } }
      }
    }
  }

  /// The columns, in order.
  public let columns: [Column]
  /// Each column's mechanism, in column order (a mechanism repeats when versions do).
  public let mechanisms: [Mechanism]
  /// The rows, in script order.
  public private(set) var rows: [Row] = []
  /// Each mechanism's VM at the end, in `mechanisms` order.
  public private(set) var finals: [VirtualMachine] = []
  /// The record behind each cell, per column (in `mechanisms` order) by line: the typed facts
  /// a cell's text words.
  public private(set) var cellRecords: [[Int: StepRecord]] = []
  /// Each mechanism's JSON-lines records (`crpin run`'s, with `mechanism` first).
  public private(set) var jsonLines: [String] = []
  /// Every `expect[M]` line that failed under M.
  public private(set) var failures: [Failure] = []
  /// How many `expect[M]` lines were checked, over all columns.
  public private(set) var expectationsChecked = 0
  /// What a comparison keeps of each step besides its cells: `crpin compare` everything; the
  /// TUI's compare pane only what it shows (a long session's records would take megabytes).
  public enum Kept: Sendable {
    /// The records behind the cells (`cellRecords`) and their JSON lines (`jsonLines`).
    case everything
    /// The records behind the cells, no JSON lines.
    case cellRecords
    /// Neither: the rows and the final VMs only.
    case cellsOnly

    /// Whether `cellRecords` is filled.
    var keepsRecords: Bool { if case .cellsOnly = self { false } else { true } }
    /// Whether `jsonLines` is filled.
    var keepsJSONLines: Bool { if case .everything = self { true } else { false } }
  }

  /// Errors while running (the column stopped there), with their column's label.
  public private(set) var errors: [(String, ScriptError)] = []

  /// 0 when every `expect[M]` line held; 1 when one failed or a column stopped at an error only
  /// running could find (`ScriptError.atRunTime`); 2 on any other error.
  public var exitCode: Int32 {
    if errors.contains(where: { !$0.1.atRunTime }) { return 2 }
    return failures.isEmpty && errors.isEmpty ? 0 : 1
  }

  /// The VM a column starts from: created under `mechanism`, every vCPU booted.
  public static func startingVM(_ mechanism: Mechanism, vcpus: Int = 1) -> VirtualMachine {
    startingVM(Column(mechanism), vcpus: vcpus)
  }

  /// The VM a column starts from: created with the column's options, every vCPU booted.
  public static func startingVM(_ column: Column, vcpus: Int = 1) -> VirtualMachine {
    VirtualMachine(bootedWith: vcpus, options: column.options)
  }

  /// Parses `source` (a parse error is returned, nothing runs), then runs it under each of
  /// `mechanisms`. `ComparisonRun` computes the same a slice at a time.
  public static func run(_ source: String, mechanisms: [Mechanism] = Mechanism.allCases)
    -> Result<Comparison, ScriptError>
  {
    run(source, columns: mechanisms.map { Column($0) })
  }

  /// Parses `source`, then runs it in each of `columns` (a mechanism and versions each).
  public static func run(_ source: String, columns: [Column]) -> Result<Comparison, ScriptError> {
    let statements: [ParsedStatement]
    switch parseScript(source) {
    case .failure(let error): return .failure(error)
    case .success(let parsed): statements = parsed
    }
    var comparison = Comparison(columns: columns)
    for column in columns.indices {
      var run = comparison.startColumn(column)
      comparison.run(statements[...], in: &run, keeping: .everything)
      comparison.finishColumn(run)
    }
    return .success(comparison)
  }

  /// An empty comparison of `columns`, still to run.
  init(columns: [Column]) {
    self.columns = columns
    mechanisms = columns.map(\.mechanism)
    cellRecords = Array(repeating: [:], count: columns.count)
  }

  /// One column on its way: its session, its count of `expect` lines, and the line of its
  /// last step (where a failed `expect[M]` after it puts its ✗).
  struct ColumnRun: Sendable {
    let column: Int
    let mechanism: Mechanism
    let label: String
    var session: Session
    var expectationsChecked = 0
    var lastStep: Int?
  }

  /// Column `column` before its first statement: a VM created with its options and booted.
  func startColumn(_ column: Int) -> ColumnRun {
    let spec = columns[column]
    return ColumnRun(
      column: column, mechanism: spec.mechanism, label: spec.label,
      session: Session(vm: Self.startingVM(spec)))
  }

  /// Runs `statements` in `run`'s column, keeping what `kept` says of each, until an error
  /// stops the column; returns how many ran and whether one stopped it.
  @discardableResult
  mutating func run(_ statements: ArraySlice<ParsedStatement>, in run: inout ColumnRun, keeping kept: Kept)
    -> (ran: Int, stopped: Bool)
  {
    var driver = ScriptDriver(session: run.session, format: nil)
    defer {
      run.session = driver.report.session
      run.expectationsChecked += driver.report.expectationsChecked
    }
    for (offset, statement) in statements.enumerated()
    where !step(statement, in: &run, driver: &driver, keeping: kept) {
      return (offset + 1, true)
    }
    return (statements.count, false)
  }

  /// Runs `statement` with `driver` in `run`'s column; `false` once an error stopped it.
  private mutating func step(
    _ statement: ParsedStatement, in run: inout ColumnRun, driver: inout ScriptDriver, keeping kept: Kept
  ) -> Bool {
    if case .expect(_, let only) = statement.command, only.isEmpty { return true }
    guard let record = driver.run(statement, emit: { _ in }) else {
      if let error = driver.report.error { errors.append((run.label, error)) }
      return !driver.stopped
    }
    if kept.keepsJSONLines,
      let line = JSONLinesTrace.render(
        record, session: driver.report.session, leading: [("mechanism", .string(run.mechanism.rawValue))])
    {
      jsonLines.append(line)
    }
    if let result = record.expectation {
      guard !result.holds else { return true }
      failures.append(
        Failure(
          mechanism: run.mechanism, column: run.label,
          failure: ExpectationFailure(line: record.line, text: record.text, result: result)))
      if let lastStep = run.lastStep, let row = rowIndex(line: lastStep) {
        rows[row].results[run.column].expectationFailed = true
      }
    } else if let cell = OutcomeCell(record) {
      setCell(cell, column: run.column, statement: statement)
      if kept.keepsRecords { cellRecords[run.column][statement.line] = record }
      run.lastStep = statement.line
    }
    return true
  }

  /// Ends `run`'s column: its count of `expect` lines, its final VM.
  mutating func finishColumn(_ run: ColumnRun) {
    expectationsChecked += run.expectationsChecked
    finals.append(run.session.vm)
  }

  /// Where the first row at or after `line` is (rows are in line order).
  private func rowPosition(line: Int) -> Int {
    var low = 0
    var high = rows.count
    while low < high {
      let middle = (low + high) / 2
      if rows[middle].line < line { low = middle + 1 } else { high = middle }
    }
    return low
  }

  /// The row of `line`, if there is one.
  private func rowIndex(line: Int) -> Int? {
    let index = rowPosition(line: line)
    return rows.indices.contains(index) && rows[index].line == line ? index : nil
  }

  private mutating func setCell(_ cell: OutcomeCell, column: Int, statement: ParsedStatement) {
    let at = rowPosition(line: statement.line)
    if rows.indices.contains(at), rows[at].line == statement.line {
      rows[at].results[column] = Cell(outcome: cell)
      return
    }
    var cells = Array(repeating: Cell(), count: columns.count)
    cells[column] = Cell(outcome: cell)
    rows.insert(Row(line: statement.line, text: statement.text, results: cells), at: at)
  }
}
