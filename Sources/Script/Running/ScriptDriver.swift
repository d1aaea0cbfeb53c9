import Engine

/// The one loop that runs a script's statements: it runs each on the session, hands its trace
/// (if any) to `emit` as soon as it exists, and tallies the `expect` lines. `crpin run` and
/// `crpin scenario` (through `ScriptStream`), `runScript`, `Comparison`, `ThreatMatrix`, `SlideDeck`
/// and the TUI's replays (`History`) all run statements through it.
///
/// Narration lines are joined into paragraphs and emitted before the statement that follows
/// them. Nothing is kept per statement except the `expect` lines that failed (reported at the
/// end) and the pending narration.
///
/// A driver made `chunked` (`crpin run` and `crpin scenario` to a file or a pipe) renders every
/// piece straight after the one before in one buffer and hands that buffer over once it holds
/// `chunkSize` bytes (1 MiB): `crpin` gives it to its writer thread as it is, so the trace's
/// bytes are not copied on their way to standard output. Once handed over, the buffer's
/// bytes are the receiver's: the driver's next piece goes to a block of its own
/// (`TraceBuffer` is copy-on-write), so the receiver may keep the buffer while it writes.
public struct ScriptDriver {
  /// Where the trace goes: each piece (a record's lines, a narration block, the header), as
  /// text without a trailing newline; for a `chunked` driver, whole pieces each followed by a
  /// newline, about `chunkSize` bytes at a time.
  public typealias TraceSink = (TraceBuffer) -> Void

  /// The run so far: failures, checked count, the error that stopped it, the session.
  public private(set) var report: ScriptReport
  /// The trace's format; nil for no trace.
  public let format: TraceFormat?
  /// The line of the error that stopped a run through `ScriptStream`, for its excerpt.
  public private(set) var errorSource: String?
  private var narration: [String] = []
  private var parser = LineParser()
  /// The record being rendered, reused from one to the next; for a `chunked` driver, the
  /// pieces not handed over yet, each followed by a newline.
  private var scratch = TraceBuffer()
  private var sentences = RuleSentences()
  /// Whether pieces are handed over in chunks (see the type's documentation).
  private let chunked: Bool
  /// A chunked driver hands its pieces over once they hold this many bytes.
  private let chunkSize: Int
  /// The chunk size of `crpin run` and `crpin scenario` (1 MiB): each hand-over wakes crpin's
  /// writer thread, about 440 times for a million records of JSON lines.
  public static let defaultChunkSize = 1 << 20

  /// A run on `session` printing `format` (nil: no trace); `chunked`: the trace is handed to
  /// `emit` in chunks of whole pieces, each followed by a newline, once they hold `chunkSize`
  /// bytes (call `finish` at the end, also after an error, for the last chunk).
  public init(
    session: Session = Session(), format: TraceFormat?, chunked: Bool = false,
    chunkSize: Int = ScriptDriver.defaultChunkSize
  ) {
    report = ScriptReport(session: session)
    self.format = format
    self.chunked = chunked
    self.chunkSize = chunkSize
  }

  /// Whether an error stopped the run (told from the optional's case: `report.error != nil`
  /// would copy the error to compare it).
  public var stopped: Bool {
    if case .some = report.error { true } else { false }
  }

  /// Emits what a trace starts with (the text format's column header).
  public mutating func begin(emit: TraceSink) {
    if let header = format?.header { hand(header, to: emit) }
  }

  /// Runs `statement` and returns its record (nil for narration, and once the run stopped).
  /// An error stops the run: it is kept in `report.error`.
  @discardableResult
  public mutating func run(_ statement: ParsedStatement, emit: TraceSink) -> StepRecord? {
    guard !stopped else { return nil }
    if case .narration(let text) = statement.command {
      narration.append(text)
      return nil
    }
    flushNarration(emit)
    do throws(ScriptError) {
      guard let record = try report.session.run(statement) else { return nil }
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
      case .general(let statement): run(statement, emit: emit)
      case .fast(let instruction, let text, let computesValue):
        flushNarration(emit)
        let record = try report.session.run(
          instruction, line: number, text: text, computesValue: computesValue)
        tally(record, emit: emit)
      }
    } catch {
      report.error = error
    }
    if stopped {
      errorSource = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
  }

  /// Emits what the run holds back (narration at the end of the script; for a `chunked`
  /// driver, the last chunk, also when an error stopped the run).
  public mutating func finish(emit: TraceSink) {
    if !stopped { flushNarration(emit) }
    flushChunk(emit: emit)
  }

  /// Hands over what a `chunked` driver holds (before a read failure ends the run).
  mutating func flushChunk(emit: TraceSink) {
    guard chunked, scratch.count > 0 else { return }
    emit(scratch)
    scratch.removeAll()
  }

  /// Emits the record's trace and tallies it if it is an `expect`.
  private mutating func tally(_ record: StepRecord, emit: TraceSink) {
    if let format {
      // Three disjoint stored properties of `self`: the session is lent, the buffer and the
      // sentences are borrowed in place (no copy, nothing built per record).
      if !chunked { scratch.removeAll() }
      let start = scratch.count
      // Nothing copies the buffer while the record renders (`beginExclusiveAppends`).
      scratch.beginExclusiveAppends()
      let rendered = format.render(record, session: report.session, into: &scratch, sentences: &sentences)
      scratch.endExclusiveAppends()
      if rendered {
        if chunked { endPiece(emit) } else { emit(scratch) }
      } else {
        scratch.removeBytes(after: start)
      }
    }
    guard let result = record.expectation, !result.skipped else { return }
    report.expectationsChecked += 1
    if !result.holds {
      report.failures.append(ExpectationFailure(line: record.line, text: record.text, result: result))
    }
  }

  /// Emits `text` as one piece.
  private mutating func hand(_ text: String, to emit: TraceSink) {
    if chunked {
      scratch.append(text)
      endPiece(emit)
    } else {
      var buffer = TraceBuffer()
      buffer.append(text)
      emit(buffer)
    }
  }

  /// Ends the piece a chunked driver just rendered, and hands the chunk over once it is full.
  private mutating func endPiece(_ emit: TraceSink) {
    scratch.append(byte: UInt8(ascii: "\n"))
    if scratch.count >= chunkSize {
      emit(scratch)
      scratch.removeAll()
    }
  }

  private mutating func flushNarration(_ emit: TraceSink) {
    guard !narration.isEmpty else { return }
    let paragraphs = narration.split(separator: "", omittingEmptySubsequences: true)
      .map { $0.joined(separator: " ") }
    if !paragraphs.isEmpty, let text = format?.renderNarration(paragraphs) { hand(text, to: emit) }
    narration = []
  }
}
