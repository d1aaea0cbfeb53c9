import Engine
import Script

/// Every state the session has been in, as a timeline: one point per step (an action, a
/// scenario step, a scenario start), the current one at `position`, later ones kept until a new
/// step from a past point drops them. Undo, redo and the timeline overlay all move along it.
///
/// Cheap by design (a long session must stay within a few megabytes): a point is a handful of
/// 32-bit integers — where its transcript ends, how long the log was, the vCPU on screen, the
/// scenario position, the outcome the timeline shows — and the statements are one UTF-8 buffer
/// (`StatementLines`), about 20 bytes a line. The script sessions themselves are kept
/// only every `keyframeInterval` points among the newest `recentSpan`, every
/// `oldKeyframeInterval` points before them, where a transcript starts afresh, and wherever a
/// point would otherwise be more than `maxReplayLines` lines from the keyframe before it (steps
/// of many statements); any other point is rebuilt by replaying its transcript lines from the
/// keyframe before it (at most `maxReplayLines`, about a frame), which the script language
/// guarantees gives the same state.
public struct History: Sendable {
  /// One state on the timeline.
  public struct Point: Equatable, Sendable {
    private var storedLineEnd: Int32
    /// The transcript this point belongs to (a scenario start begins a new one).
    var epoch: Int32
    private var storedLogCount: Int32
    /// Index into `runs` of the scenario being played, or -1.
    var run: Int32
    /// How many steps of that scenario had run.
    var runPosition: Int32
    /// How many statements of the scenario's next step had run (predict mode's set-up).
    var runLinesRun: Int16 = 0
    /// The vCPU on screen (a VM has at most `VirtualMachine.maxVCPUs`, 8).
    var vcpu: UInt8
    /// The outcome of the step's last action (what the timeline shows beside it), if it ran one.
    var outcome: OutcomeKind?

    init(
      lineEnd: Int, epoch: Int32, logCount: Int, vcpu: Int, run: Int32, runPosition: Int32,
      outcome: OutcomeKind?
    ) {
      storedLineEnd = Int32(lineEnd)
      self.epoch = epoch
      storedLogCount = Int32(logCount)
      self.run = run
      self.runPosition = runPosition
      self.vcpu = UInt8(clamping: vcpu)
      self.outcome = outcome
    }

    /// Where this point's transcript ends in `lines` (exclusive).
    public var lineEnd: Int { Int(storedLineEnd) }
    /// How many log entries existed at this point (counting those the log no longer keeps).
    public var logCount: Int { Int(storedLogCount) }
  }

  /// A transcript started afresh: where its lines begin in `lines` and how many of them set
  /// the VM up.
  struct Epoch: Sendable {
    var start: Int
    var headerCount: Int
  }

  /// Points between kept sessions among the newest `recentSpan` points.
  static let keyframeInterval = 32
  /// How many of the newest points keep a session every `keyframeInterval` (undo stays instant).
  static let recentSpan = 1_024
  /// Points between kept sessions before the newest `recentSpan` (a jump there replays at most
  /// this many lines).
  static let oldKeyframeInterval = 512
  /// The most lines a jump replays (as many as the compare pane runs in an update): a session
  /// is kept wherever a point would need more.
  static let maxReplayLines = 1_024

  /// The statements of every point on the timeline, transcript after transcript.
  private var lines: StatementLines
  /// The points, oldest first.
  public private(set) var points: [Point]
  /// The current point.
  public private(set) var position: Int
  private var epochs: [Epoch]
  /// Sessions kept at some points, by point index, ascending.
  private var keyframes: [(point: Int, session: Session)]
  /// Every scenario started, so points can name one by index.
  private var runs: [Playback]
  /// For the few points whose statements are only `vcpu` lines or none (a scenario start): the
  /// first log line of the step, which the timeline shows as its label.
  private var notes: [Int: String]

  /// A timeline whose first point is `session` with `transcript`, vCPU `vcpu` on screen.
  init(session: Session, transcript: Transcript, vcpu: Int, logCount: Int) {
    lines = StatementLines(transcript.lines)
    epochs = [Epoch(start: 0, headerCount: transcript.headerCount)]
    points = [
      Point(
        lineEnd: lines.count, epoch: 0, logCount: logCount, vcpu: vcpu, run: -1, runPosition: 0, outcome: nil)
    ]
    position = 0
    keyframes = [(0, session)]
    runs = []
    notes = [:]
  }

  /// The current point.
  public var current: Point { points[position] }

  /// Whether there are later points to go forward to.
  public var canGoForward: Bool { position < points.count - 1 }

  /// The transcript of point `index`.
  func transcript(at index: Int) -> Transcript {
    let point = points[index]
    let epoch = epochs[Int(point.epoch)]
    return Transcript(lines: lines[epoch.start..<point.lineEnd], headerCount: epoch.headerCount)
  }

  /// How many lines the current point's transcript has, and how many of those set the VM up.
  var transcriptSize: (lines: Int, header: Int) {
    let epoch = epochs[Int(current.epoch)]
    let count = current.lineEnd - epoch.start
    return (count, min(epoch.headerCount, count))
  }

  /// The statements that point `index` added (empty for the first point of a transcript).
  public func statements(at index: Int) -> [String] {
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
    playback.linesRun = Int(point.runLinesRun)
    return playback
  }

  /// Rebuilds the script session of point `index` from the nearest kept session before it;
  /// `nil` if a statement no longer runs (it should not happen: they ran before).
  func session(at index: Int) -> Session? {
    guard let keyframe = keyframes.last(where: { $0.point <= index }) else { return nil }
    guard let replayed = replayRange(to: index, from: keyframe.point) else { return nil }
    var driver = ScriptDriver(session: keyframe.session, format: nil)
    for index in replayed {
      driver.run(line: lines[index], number: index + 1)
      if driver.stopped { return nil }
    }
    return driver.report.session
  }

  /// The lines to replay to rebuild point `index` from the keyframe at point `keyframe`.
  private func replayRange(to index: Int, from keyframe: Int) -> Range<Int>? {
    let from = points[keyframe].lineEnd
    return from <= points[index].lineEnd ? from..<points[index].lineEnd : nil
  }

  /// How many lines rebuilding point `index` replays (for tests of the bound).
  func replayLength(at index: Int) -> Int {
    guard let keyframe = keyframes.last(where: { $0.point <= index }) else { return 0 }
    return replayRange(to: index, from: keyframe.point)?.count ?? 0
  }

  /// Moves to point `index` (which must exist).
  mutating func move(to index: Int) {
    position = min(max(index, 0), points.count - 1)
  }

  /// The label the timeline shows for point `index` when its statements are only `vcpu` lines
  /// or none: the step's first log line (a scenario start's note), if it logged one.
  func note(at index: Int) -> String? { notes[index] }

  /// Drops every point after the current one (a new step from a past point).
  private mutating func dropFuture() {
    guard canGoForward else { return }
    points.removeSubrange((position + 1)...)
    lines.removeLines(from: current.lineEnd)
    keyframes.removeAll { $0.point > position }
    notes = notes.filter { $0.key <= position }
  }

  /// Appends a point after the current one (dropping any later points first): `added` are the
  /// statements the step ran, `session` the state after them, `outcome` the kind of its last
  /// action's outcome and `note` its first log line. With `freshTranscript`, the point starts a
  /// new transcript (a scenario start) whose first `headerCount` lines are set-up.
  mutating func append(
    added: [String], session: Session, vcpu: Int, logCount: Int, playback: Playback?,
    outcome: OutcomeKind? = nil, note: String? = nil, freshTranscript: Bool = false, headerCount: Int = 0
  ) {
    dropFuture()
    var epoch = current.epoch
    if freshTranscript {
      epochs.append(Epoch(start: lines.count, headerCount: headerCount))
      epoch = Int32(epochs.count - 1)
    }
    lines.append(contentsOf: added)
    var run: Int32 = -1
    var runPosition: Int32 = 0
    var runLinesRun: Int16 = 0
    if let playback {
      runLinesRun = Int16(clamping: playback.linesRun)
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
    var point = Point(
      lineEnd: lines.count, epoch: epoch, logCount: logCount, vcpu: vcpu, run: run,
      runPosition: runPosition, outcome: outcome)
    point.runLinesRun = runLinesRun
    points.append(point)
    position = points.count - 1
    if let note, added.allSatisfy({ $0.hasPrefix("vcpu ") }) { notes[position] = note }
    let sinceKeyframe = lines.count - (keyframes.last.map { points[$0.point].lineEnd } ?? 0)
    if freshTranscript || position % Self.keyframeInterval == 0 || sinceKeyframe > Self.maxReplayLines {
      keyframes.append((position, session))
    }
    thinKeyframes()
  }

  /// Drops the keyframe of the point that has just left the newest `recentSpan` points, unless
  /// it falls on `oldKeyframeInterval` or the points up to the next keyframe would then replay
  /// more than `maxReplayLines`; keyframes where a transcript starts afresh always stay.
  /// Called on every append: each point leaves the span once.
  private mutating func thinKeyframes() {
    let aged = position - Self.recentSpan
    guard aged > 0, aged % Self.keyframeInterval == 0, aged % Self.oldKeyframeInterval != 0,
      points[aged - 1].epoch == points[aged].epoch,
      let index = keyframes.lastIndex(where: { $0.point <= aged }), keyframes[index].point == aged,
      index > 0, index + 1 < keyframes.count,
      points[keyframes[index + 1].point - 1].lineEnd - points[keyframes[index - 1].point].lineEnd
        <= Self.maxReplayLines
    else { return }
    keyframes.remove(at: index)
  }

  /// The index of the latest point before the current one whose scenario position is
  /// `runPosition` in the same scenario run, with none of the next step's statements run yet,
  /// if any.
  func pointBefore(runPosition: Int) -> Int? {
    let run = current.run
    guard run >= 0 else { return nil }
    return points[..<position].lastIndex {
      $0.run == run && Int($0.runPosition) == runPosition && $0.runLinesRun == 0
    }
  }

  /// How many sessions are kept (for tests of the memory budget).
  var keyframeCount: Int { keyframes.count }
}

/// Lines of text stored as one UTF-8 buffer and where each ends: about 20 bytes for a statement
/// such as `mov cr4, 0x3406f0`, where a `String` takes 16 bytes in an array plus a heap block of
/// 48 or more once the line is longer than 15 bytes.
struct StatementLines: Sendable {
  private var bytes: [UInt8] = []
  /// Where each line ends in `bytes` (exclusive).
  private var ends: [Int32] = []

  init(_ lines: [String]) { append(contentsOf: lines) }

  /// How many lines there are.
  var count: Int { ends.count }

  /// Line `index`.
  subscript(index: Int) -> String {
    String(decoding: bytes[start(of: index)..<Int(ends[index])], as: UTF8.self)
  }

  /// Lines `range`.
  subscript(range: Range<Int>) -> [String] { range.map { self[$0] } }

  mutating func append(contentsOf lines: [String]) {
    for line in lines {
      bytes += line.utf8
      ends.append(Int32(bytes.count))
    }
  }

  /// Removes line `index` and every line after it.
  mutating func removeLines(from index: Int) {
    guard index < count else { return }
    bytes.removeSubrange(start(of: index)...)
    ends.removeSubrange(index...)
  }

  private func start(of index: Int) -> Int { index == 0 ? 0 : Int(ends[index - 1]) }
}

extension History {
  /// The first point of the scenario step that point `index` ends or belongs to: predict mode
  /// runs a step's set-up as a point of its own, and the step is both points.
  func stepStart(of index: Int) -> Int {
    var start = index
    while start > 1, points[start - 1].run >= 0, points[start - 1].run == points[index].run,
      points[start - 1].runLinesRun > 0
    {
      start -= 1
    }
    return start
  }

  /// Whether point `index` is a scenario step (or its set-up), not an action taken by hand
  /// while the scenario played: it moved the scenario on.
  func isScenarioStep(_ index: Int) -> Bool {
    guard index > 0, points[index].run >= 0 else { return false }
    let before = points[index - 1]
    let point = points[index]
    return before.run == point.run
      && (before.runPosition != point.runPosition || before.runLinesRun != point.runLinesRun)
  }
}
