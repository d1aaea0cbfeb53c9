extension ScriptDriver {
  /// Reads and runs line `number` given as text, as `crpin run` reads a line of a file (the fast
  /// parser first, `StatementParser` for the rest): for the TUI's replays of its transcript.
  /// An error stops the run (`stopped`, `report.error`).
  public mutating func run(line: String, number: Int, emit: TraceSink = { _ in }) {
    var text = line
    text.withUTF8 { bytes in runLine(bytes, 0..<bytes.count, number: number, emit: emit) }
  }
}
