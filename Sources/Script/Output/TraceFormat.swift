import Engine

/// How a run is printed: `text` for people, `jsonl` for tools.
public enum TraceFormat: String, CaseIterable, Sendable {
  /// One aligned line per statement, with indented details and narration paragraphs.
  case text
  /// One JSON object per executed statement; nothing for comments, narration or `expect`.
  case jsonl

  /// A column header to print before the first record, if the format has one.
  public var header: String? {
    switch self {
    case .text: TextTrace.header
    case .jsonl: nil
    }
  }

  /// The output for one record (possibly several lines, no trailing newline), or `nil` when
  /// the format prints nothing for it. Registers come from the record's outcome when it has
  /// one, else from `session` (run the record's statement first).
  public func render(_ record: StepRecord, session: Session) -> String? {
    switch self {
    case .text: TextTrace.render(record, session: session)
    case .jsonl: JSONLinesTrace.render(record, session: session)
    }
  }

  /// `render(record, session:)` appended to `out`; false when the format prints nothing for it.
  /// `sentences` is what the run's records reuse: rule sentences, JSON state blocks.
  func render(
    _ record: StepRecord, session: Session, into out: inout TraceBuffer, sentences: inout RuleSentences
  ) -> Bool {
    switch self {
    case .text:
      TextTrace.render(record, session: session, into: &out, sentences: &sentences)
      return true
    case .jsonl: return JSONLinesTrace.render(record, session: session, into: &out, cache: &sentences)
    }
  }

  /// Narration paragraphs (consecutive `#>` lines joined; an empty `#>` line separates
  /// paragraphs), or `nil` when the format omits narration.
  public func renderNarration(_ paragraphs: [String]) -> String? {
    switch self {
    case .text: TextTrace.narration(paragraphs)
    case .jsonl: nil
    }
  }
}
