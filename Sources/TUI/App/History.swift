import Script

/// Every state the session has been in, as a timeline: one point per step (an action, a
/// scenario step, a scenario start), the current one at `position`, later ones kept until a new
/// step from a past point drops them. Undo, redo and the timeline overlay all move along it.
///
/// Cheap by design (a long session must stay within a few megabytes): a point is a handful of
/// integers — where its transcript ends, how long the log was, the vCPU on screen, the
/// scenario position. The script sessions themselves are kept only every
/// `keyframeInterval` points (and where a transcript starts afresh); any other point is rebuilt
/// by replaying its few transcript lines from the keyframe before it, which the script
/// language guarantees gives the same state.
public struct History: Sendable {
  /// One state on the timeline.
  public struct Point: Equatable, Sendable {
    /// Where this point's transcript ends in `lines` (exclusive).
    public var lineEnd: Int
    /// The transcript this point belongs to (a scenario start begins a new one).
    var epoch: Int32
    /// How many log entries existed at this point.
    public var logCount: Int
    /// The vCPU on screen.
    var vcpu: Int16
    /// Index into `runs` of the scenario being played, or -1.
    var run: Int32
    /// How many steps of that scenario had run.
    var runPosition: Int32
  }

  /// A transcript started afresh: where its lines begin in `lines` and how many of them set
  /// the VM up.
  struct Epoch: Sendable {
    var start: Int
    var headerCount: Int
  }

  /// Points between kept sessions.
  static let keyframeInterval = 32

  /// The statements of every point on the timeline, transcript after transcript.
  private(set) var lines: [String]
  /// The points, oldest first.
  public private(set) var points: [Point]
  /// The current point.
  public private(set) var position: Int
  private var epochs: [Epoch]
  /// Sessions kept at some points, by point index, ascending.
  private var keyframes: [(point: Int, session: Session)]
  /// Every scenario started, so points can name one by index.
  private var runs: [Playback]

  /// A timeline whose first point is `session` with `transcript`, vCPU `vcpu` on screen.
  init(session: Session, transcript: Transcript, vcpu: Int, logCount: Int) {
    lines = transcript.lines
    epochs = [Epoch(start: 0, headerCount: transcript.headerCount)]
    points = [
      Point(
        lineEnd: lines.count, epoch: 0, logCount: logCount, vcpu: Int16(vcpu), run: -1, runPosition: 0)
    ]
    position = 0
    keyframes = [(0, session)]
    runs = []
  }

  /// The current point.
  public var current: Point { points[position] }

  /// Whether there are later points to go forward to.
  public var canGoForward: Bool { position < points.count - 1 }

  /// The transcript of point `index`.
  func transcript(at index: Int) -> Transcript {
    let point = points[index]
    let epoch = epochs[Int(point.epoch)]
    return Transcript(lines: Array(lines[epoch.start..<point.lineEnd]), headerCount: epoch.headerCount)
  }

  /// The statements that point `index` added (empty for the first point of a transcript).
  public func statements(at index: Int) -> ArraySlice<String> {
    guard index > 0, points.indices.contains(index) else { return [] }
    let point = points[index]
    let epoch = epochs[Int(point.epoch)]
    let start = points[index - 1].epoch == point.epoch ? points[index - 1].lineEnd : epoch.start
    return lines[min(start, point.lineEnd)..<point.lineEnd]
  }

  /// The scenario playback at point `index`, if one was playing (stopped, no failure).
  func playback(at index: Int) -> Playback? {
    let point = points[index]
    guard point.run >= 0 else { return nil }
    var playback = Playback(scenario: runs[Int(point.run)].scenario)
    playback.position = Int(point.runPosition)
    return playback
  }

  /// Rebuilds the script session of point `index` from the nearest kept session before it;
  /// `nil` if a statement no longer runs (it should not happen: they ran before).
  func session(at index: Int) -> Session? {
    guard let keyframe = keyframes.last(where: { $0.point <= index }) else { return nil }
    let point = points[index]
    var session = keyframe.session
    let from = points[keyframe.point].lineEnd
    guard from <= point.lineEnd else { return nil }
    for (offset, line) in lines[from..<point.lineEnd].enumerated() {
      do {
        _ = try session.run(line: line, lineNumber: from + offset + 1)
      } catch {
        return nil
      }
    }
    return session
  }

  /// Moves to point `index` (which must exist).
  mutating func move(to index: Int) {
    position = min(max(index, 0), points.count - 1)
  }

  /// Drops every point after the current one (a new step from a past point).
  private mutating func dropFuture() {
    guard canGoForward else { return }
    points.removeSubrange((position + 1)...)
    lines.removeSubrange(current.lineEnd...)
    keyframes.removeAll { $0.point > position }
  }

  /// Appends a point after the current one (dropping any later points first): `added` are the
  /// statements the step ran, `session` the state after them. With `freshTranscript`, the
  /// point starts a new transcript (a scenario start) whose first `headerCount` lines are set-up.
  mutating func append(
    added: [String], session: Session, vcpu: Int, logCount: Int, playback: Playback?,
    freshTranscript: Bool = false, headerCount: Int = 0
  ) {
    dropFuture()
    var epoch = current.epoch
    if freshTranscript {
      epochs.append(Epoch(start: lines.count, headerCount: headerCount))
      epoch = Int32(epochs.count - 1)
    }
    lines += added
    var run: Int32 = -1
    var runPosition: Int32 = 0
    if let playback {
      if let last = runs.indices.last, current.run == Int32(last), !freshTranscript,
        runs[last].scenario.id == playback.scenario.id
      {
        run = Int32(last)
      } else {
        runs.append(playback)
        run = Int32(runs.count - 1)
      }
      runPosition = Int32(playback.position)
    }
    points.append(
      Point(
        lineEnd: lines.count, epoch: epoch, logCount: logCount, vcpu: Int16(vcpu), run: run,
        runPosition: runPosition))
    position = points.count - 1
    if freshTranscript || position % Self.keyframeInterval == 0 {
      keyframes.append((position, session))
    }
  }

  /// The index of the latest point before the current one whose scenario position is
  /// `runPosition` in the same scenario run, if any.
  func pointBefore(runPosition: Int) -> Int? {
    let run = current.run
    guard run >= 0 else { return nil }
    return points[..<position].lastIndex { $0.run == run && Int($0.runPosition) == runPosition }
  }

  /// How many sessions are kept (for tests of the memory budget).
  var keyframeCount: Int { keyframes.count }
}
