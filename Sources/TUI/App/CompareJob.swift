import Engine
import Script

/// The compare pane's columns on their way: the session's transcript replayed under every
/// mechanism, then a playing scenario's matrix, at most `statementsPerUpdate` statements an
/// update — so `c` on a long session never holds a key up for more than a frame, and the pane
/// shows how far it got meanwhile.
public struct CompareJob: Sendable {
  /// What the columns are computed from: while it is unchanged, the columns computed last time
  /// are still right.
  public struct Key: Equatable, Sendable {
    /// The transcript's statements.
    let lines: [String]
    /// The built-in scenario whose matrix goes below, if one plays.
    let scenario: String?
  }

  /// What a finished job computed, kept so that `c` again on the same transcript is instant.
  struct Result: Sendable {
    let key: Key
    let replay: Comparison
    let matrix: Comparison?
  }

  /// How many statements one update parses or runs, over every column: a played scenario's
  /// session and matrix in one (so `c` shows them at once), a few milliseconds.
  public static let statementsPerUpdate = 1_000

  /// What it computes from.
  public let key: Key
  private var replay: ComparisonRun
  private var matrix: ComparisonRun?
  /// How many updates have worked on it (the spinner's frame).
  public private(set) var updates = 0

  /// A job for `key`, nothing computed yet.
  init(_ key: Key) {
    self.key = key
    // The pane shows the session's final VMs, and the matrix's cells coloured by their records.
    replay = ComparisonRun(key.lines.joined(separator: "\n"), keeping: .cellsOnly)
    matrix = key.scenario.flatMap(Scenario.named).map { ComparisonRun($0.source, keeping: .cellRecords) }
  }

  /// The key of `transcript` with `playback`.
  static func key(_ transcript: Transcript, playback: Playback?) -> Key {
    Key(
      lines: transcript.lines,
      scenario: playback.map(\.scenario.id).flatMap { Scenario.named($0) == nil ? nil : $0 })
  }

  /// Statements parsed and run so far.
  public var done: Int { replay.done + (matrix?.done ?? 0) }
  /// All the statements to parse and run.
  public var total: Int { replay.total + (matrix?.total ?? 0) }

  /// Parses or runs at most `budget` more statements; returns how many it did.
  @discardableResult
  mutating func advance(by budget: Int) -> Int {
    updates += 1
    var work = replay.advance(by: budget)
    if replay.result != nil, var scenario = matrix {
      work += scenario.advance(by: budget - work)
      matrix = scenario
    }
    return work
  }

  /// Once everything ran: the replay (or the error that kept the transcript from parsing back)
  /// and the matrix.
  var outcome: Swift.Result<Result, ScriptError>? {
    guard let replayed = replay.result else { return nil }
    var matrixResult: Comparison?
    if let matrix {
      guard let result = matrix.result else { return nil }
      matrixResult = try? result.get()
    }
    return replayed.map { Result(key: key, replay: $0, matrix: matrixResult) }
  }
}
