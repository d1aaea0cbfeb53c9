import Engine

/// The one loop that runs a script's statements: it runs each on the session, hands its trace
/// (if any) to `emit` as soon as it exists, and tallies the `expect` lines. `crpin run` and
/// `crpin scenario` (through `ScriptStream`), `runScript`, `Comparison`, `ThreatMatrix`, `SlideDeck`
/// and the TUI's replays (`History`) all run statements through it.
///
/// Narration lines are joined into paragraphs and emitted before the statement that follows
/// them. Nothing is kept per statement except the `expect` lines that failed (reported at the
/// end) and the pending narration.
public struct ScriptDriver {
  /// Where the trace goes: each piece (a record's lines, a narration block, the header), as
  /// text without a trailing newline.
  public typealias TraceSink = (TraceBuffer) -> Void

  /// The run so far: failures, checked count, the error that stopped it, the session.
  public private(set) var report: ScriptReport
  /// The trace's format; nil for no trace.
  public let format: TraceFormat?
  /// The line of the error that stopped a run through `ScriptStream`, for its excerpt.
  public private(set) var errorSource: String?
  private var narration: [String] = []
  private var parser = LineParser()
  /// The record being rendered, reused from one to the next.
  private var scratch = TraceBuffer()
  private var sentences = RuleSentences()

  /// A run on `session` printing `format` (nil: no trace).
  public init(session: Session = Session(), format: TraceFormat?) {
    report = ScriptReport(session: session)
    self.format = format
  }

  /// Whether an error stopped the run.
  public var stopped: Bool { report.error != nil }

  /// Emits what a trace starts with (the text format's column header).
  public func begin(emit: TraceSink) {
    if let header = format?.header { emit(Self.buffer(header)) }
  }

  /// Runs `statement` and returns its record (nil for narration, and once the run stopped).
  /// An error stops the run: it is kept in `report.error`.
  @discardableResult
  public mutating func run(_ statement: ParsedStatement, emit: TraceSink) -> StepRecord? {
    guard let record = execute(statement, emit: emit) else { return nil }
    if record.hasOutcome { report.session.keep(lastAction: record) }
    return record
  }

  /// `run(_:emit:)` for a run that does not want the record back: it is moved into the session
  /// as its last action once rendered, never copied.
  private mutating func runStatement(_ statement: ParsedStatement, emit: TraceSink) {
    guard let record = execute(statement, emit: emit), record.hasOutcome else { return }
    report.session.keep(lastAction: record)
  }

  /// Runs `statement` and emits and tallies its record, which the caller keeps (nil for
  /// narration, after an error, and once the run stopped).
  private mutating func execute(_ statement: ParsedStatement, emit: TraceSink) -> StepRecord? {
    guard !stopped else { return nil }
    if case .narration(let text) = statement.command {
      narration.append(text)
      return nil
    }
    flushNarration(emit)
    do throws(ScriptError) {
      guard let record = try report.session.execute(statement) else { return nil }
      tally(record, emit: emit)
      return record
    } catch {
      report.error = error
      return nil
    }
  }

  /// Reads and runs line `number` of a script, the bytes `range` of `bytes`.
  mutating func runLine(
    _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, number: Int, emit: TraceSink
  ) {
    guard !stopped else { return }
    do throws(ScriptError) {
      switch try parser.parse(bytes, range, number: number, text: true) {
      case .blank: return
      case .general(let statement): runStatement(statement, emit: emit)
      case .fast(let instruction, let text, let computesValue):
        flushNarration(emit)
        if let record = try report.session.run(
          instruction, line: number, text: text, computesValue: computesValue)
        {
          tally(record, emit: emit)
          if record.hasOutcome { report.session.keep(lastAction: record) }
        }
      }
    } catch {
      report.error = error
    }
    if stopped {
      errorSource = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
  }

  /// Emits what the run holds back (narration at the end of the script).
  public mutating func finish(emit: TraceSink) {
    guard !stopped else { return }
    flushNarration(emit)
  }

  /// Emits the record's trace and tallies it if it is an `expect`.
  private mutating func tally(_ record: StepRecord, emit: TraceSink) {
    if let format {
      // Three disjoint stored properties of `self`: the session is lent, the buffer and the
      // sentences are borrowed in place (no copy, nothing built per record).
      scratch.removeAll()
      if format.render(record, session: report.session, into: &scratch, sentences: &sentences) {
        emit(scratch)
      }
    }
    guard let result = record.expectation, !result.skipped else { return }
    report.expectationsChecked += 1
    if !result.holds {
      report.failures.append(ExpectationFailure(line: record.line, text: record.text, result: result))
    }
  }

  private static func buffer(_ text: String) -> TraceBuffer {
    var buffer = TraceBuffer()
    buffer.append(text)
    return buffer
  }

  private mutating func flushNarration(_ emit: TraceSink) {
    guard !narration.isEmpty else { return }
    let paragraphs = narration.split(separator: "", omittingEmptySubsequences: true)
      .map { $0.joined(separator: " ") }
    if !paragraphs.isEmpty, let text = format?.renderNarration(paragraphs) { emit(Self.buffer(text)) }
    narration = []
  }
}
