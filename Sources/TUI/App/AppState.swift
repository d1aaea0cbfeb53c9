import Engine
import Script

/// Everything the TUI shows and remembers. `update` changes it; `view` draws it; neither does
/// any I/O, so both are tested without a terminal.
public struct AppState: Sendable {
  /// The script session every action runs through (the VM, the script's selected vCPU, the
  /// last action for `expect`), so what the TUI does is exactly what its transcript replays.
  public var session: Session
  /// The vCPU the keys act on and the screen shows.
  public var vcpu: Int
  /// The bit under the cursor.
  public var cursor: BitCursor
  /// What overlay or prompt, if any, has the keyboard, with the state only it needs.
  public var mode: Mode
  /// The newest entries of the event log, oldest first: at most `logLimit` plus
  /// `logTrimBatch` (older ones are dropped in batches; `droppedLogEntries` counts them).
  public var log: [LogEntry]
  /// How many of the oldest log entries are no longer kept.
  public internal(set) var droppedLogEntries: Int
  /// How many log lines the view is scrolled up from the newest (0: newest visible).
  public var logScroll: Int
  /// The `:` command line.
  public var prompt: Prompt
  /// A one-line message for the key bar (cleared by the next key).
  public var message: StatusMessage?
  /// Every state so far, for undo, redo and the timeline; it holds the transcript too.
  public internal(set) var history: History
  /// Predict mode's score, when the TUI runs a quiz.
  public var quiz: Quiz?
  /// How the screen is laid out: the normal view, or the projector's (fewer columns, bit
  /// names spelled out).
  public var projector: Bool
  /// What the last step changed, for the markers beside the bits.
  public internal(set) var changeMarks: ChangeMarks?
  /// The scenarios the picker offers: those given at start, else the built-in ones, read on
  /// first use (reading all of them at start-up would cost milliseconds before the first frame).
  public var scenarios: [PlaybackScenario] {
    get { givenScenarios ?? PlaybackScenario.builtIn }
    set { givenScenarios = newValue }
  }
  private var givenScenarios: [PlaybackScenario]?
  /// The scenario being played, if any.
  public var playback: Playback?
  /// Whether a `--record` file receives the transcript (then quitting loses nothing).
  public var isRecording: Bool
  /// The terminal size last reported (the view gets it again).
  public var size: TerminalSize
  /// Where the bits were on the frame last drawn (`render`'s hit map, which the main loop keeps
  /// after each draw): a click picks the bit the user saw there, and `update` never draws.
  public var drawnBits = HitMap(width: 0)

  // Recordings (trainer, issue 12): `crpin export asciicast` is watched, not driven.
  /// Whether the view draws the keys a user presses — the key bar, the mode line's `? help`,
  /// the scenario panes' `n run it …` (`false` in a recording).
  public var showsKeys = true

  // The presenter layout (issue 12, "present"): see `usesPresenterLayout(width:height:)`.
  /// Whether `crpin tui --present` asked for the presenter layout at every size.
  public var presentForced = false
  /// How many lines the narration is scrolled down from its first (the view clamps it).
  public var narrationScroll = 0
  /// Milliseconds since the last scenario step's outcome appeared while it is emphasised;
  /// `nil` once `PresenterStep.emphasisMilliseconds` have passed (or before any step).
  public var outcomeEmphasis: Int?

  // The real KVM (issue 15, `crpin tui --kvm`).
  /// The real KVM every step also runs on, or nil (the model alone).
  public let realKVM: RealKVMInfo?
  /// The options a fresh model starts with: the comparison model's with a real KVM, else the
  /// defaults.
  public var startOptions: VMOptions { realKVM?.options ?? VMOptions() }
  /// The compare pane's last computed columns, for `c` again on the same transcript.
  var lastComparison: CompareJob.Result?
  /// Requests for the real vCPU not yet handed to the main loop (`takeRealKVMEffects`).
  var realKVMQueue: [RealKVMRequest] = []

  /// A fresh session: `vcpuCount` booted vCPUs (1 to 8), the cursor on CR4.SMEP.
  public init(
    vcpuCount: Int = 2, scenarios: [PlaybackScenario]? = nil,
    isRecording: Bool = false, size: TerminalSize = TerminalSize(width: 100, height: 30),
    setup: [String] = [], quiz: Bool = false, projector: Bool = false, realKVM: RealKVMInfo? = nil
  ) {
    let count = min(max(vcpuCount, 1), VirtualMachine.maxVCPUs)
    self.realKVM = realKVM
    session = Session(vm: VirtualMachine(bootedWith: 1, options: realKVM?.options ?? VMOptions()))
    var header: [String] = []
    var entries: [Int?] = []
    if count > 1, (try? session.run(line: "vcpus \(count)", lineNumber: 1)) != nil {
      header.append("vcpus \(count)")
      entries.append(nil)
    }
    var setupError: String?
    var setupLog: [LogEntry] = []
    for line in setup {
      do {
        let record = try session.run(line: line, lineNumber: header.count + 1)
        if let record, record.action != nil {
          // Each start-up statement (`--from`'s) is its own log entry.
          setupLog.append(LogEntry.forRecord(record, number: setupLog.count + 1))
          entries.append(setupLog.count)
        } else {
          entries.append(nil)
        }
        if let outcome = record?.outcome, outcome.kind.isFailure {
          setupError = "`\(line)` → \(outcome.kind.display): " + (outcome.rules.first?.message ?? "")
        }
        header.append(line)
      } catch {
        setupError = "`\(line)`: \(error.message)"
      }
    }
    vcpu = 0
    cursor = .initial
    mode = .normal
    log = setupLog
    droppedLogEntries = 0
    logScroll = 0
    prompt = Prompt()
    message = setupError.map { StatusMessage("start-up: " + $0, isError: true) }
    self.quiz = quiz ? Quiz() : nil
    self.projector = projector
    changeMarks = nil
    givenScenarios = scenarios
    playback = nil
    self.isRecording = isRecording
    self.size = size
    history = History(
      session: session, transcript: Transcript(header: header), vcpu: 0, logCount: setupLog.count)
    if realKVM != nil, !header.isEmpty {
      realKVMQueue.append(
        RealKVMRequest(statements: zip(header, entries).map { RealKVMStatement($0, entry: $1) }))
    }
  }

  /// The statements that rebuild the current state from scratch: what `--record` holds. Built
  /// from the history's compact lines on each use.
  public var transcript: Transcript { history.transcript(at: history.position) }

  /// How many statements beyond the set-up the transcript has (without building it).
  public var transcriptActionCount: Int {
    let size = history.transcriptSize
    return size.lines - size.header
  }

  /// The modelled VM.
  public var vm: VirtualMachine {
    get { session.vm }
    set { session.vm = newValue }
  }

  /// The vCPU on screen.
  public var currentVCPU: VCPU { vm.vcpus[min(max(vcpu, 0), vm.vcpus.count - 1)] }

  /// The compare pane's columns while it is open and they are computed.
  public var comparison: CompareColumns? {
    if case .compare(let pane) = mode, case .ready(let columns) = pane.columns { columns } else { nil }
  }

  /// Whether work is under way between keys (the compare pane computing its columns): the main
  /// loop then ticks without waiting for input.
  public var isWorking: Bool {
    if case .compare(let pane) = mode, case .computing = pane.columns { true } else { false }
  }

  /// Whether quitting would lose actions: some were taken and no `--record` file keeps them.
  public var hasUnsavedWork: Bool { !isRecording && transcriptActionCount > 0 }
}

/// Who has the keyboard, with the state only that mode needs (an overlay's scroll, a picker's
/// highlighted row, the compare pane's columns): no mode carries another's.
public enum Mode: Sendable {
  /// The register view: keys act on the VM.
  case normal
  /// The `:` command line.
  case command
  /// The `?` overlay listing every key, scrolled down `scroll` lines.
  case help(scroll: Int)
  /// The list of built-in scenarios, row `selection` highlighted.
  case scenarioPicker(selection: Int)
  /// "Quit and lose unsaved actions?"; `byInterrupt` when Ctrl-C asked (then quitting exits
  /// 130).
  case quitConfirm(byInterrupt: Bool)
  /// Predict mode: the room says what the next step will do.
  case predict
  /// The compare pane: the cursor bit under every mechanism, and the scenario's matrix.
  case compare(ComparePaneState)
  /// Where the patches' prose and code disagree (D1–D6, R1–R2), scrolled down `scroll` lines.
  case discrepancies(scroll: Int)
  /// Every step of the history, to jump to one; step `selection` highlighted.
  case timeline(selection: Int)
  /// `M`: the pinning designs, to re-boot the guest under one; row `selection` (in
  /// `Mechanism.allCases` order) highlighted.
  case mechanismPicker(selection: Int)
  /// `:help`: the script language in brief, scrolled down `scroll` lines.
  case languageHelp(scroll: Int)

  /// A mode without its state, to compare.
  public enum Kind: Equatable, Sendable {
    case normal, command, help, scenarioPicker, quitConfirm, predict, compare, discrepancies, timeline
    case mechanismPicker, languageHelp
  }

  /// Which mode it is.
  public var kind: Kind {
    switch self {
    case .normal: .normal
    case .command: .command
    case .help: .help
    case .scenarioPicker: .scenarioPicker
    case .quitConfirm: .quitConfirm
    case .predict: .predict
    case .compare: .compare
    case .discrepancies: .discrepancies
    case .timeline: .timeline
    case .mechanismPicker: .mechanismPicker
    case .languageHelp: .languageHelp
    }
  }

  /// The highlighted row of a picker or the timeline, if the mode has one.
  public var selection: Int? {
    switch self {
    case .scenarioPicker(let row), .timeline(let row), .mechanismPicker(let row): row
    default: nil
    }
  }

  /// How far an overlay is scrolled, if the mode scrolls.
  public var scroll: Int? {
    switch self {
    case .help(let lines), .discrepancies(let lines), .languageHelp(let lines): lines
    case .compare(let pane): pane.scroll
    default: nil
    }
  }
}

/// The compare pane's own state: its columns (or how far computing them got) and how far its
/// matrix is scrolled from where the last step run shows.
public struct ComparePaneState: Sendable {
  /// The columns, or the job computing them.
  public enum Columns: Sendable {
    /// Still replaying: a slice an update.
    case computing(CompareJob)
    /// The transcript under every mechanism, and the scenario's matrix.
    case ready(CompareColumns)
  }

  /// The columns, or the job computing them.
  public var columns: Columns
  /// Lines the matrix is scrolled (PgUp/PgDn), from where the last step run shows.
  public var scroll = 0
}

/// A terminal size in cells.
public struct TerminalSize: Equatable, Sendable {
  /// Columns.
  public var width: Int
  /// Rows.
  public var height: Int

  /// A size of `width` columns and `height` rows.
  public init(width: Int, height: Int) {
    self.width = width
    self.height = height
  }
}

/// A transient line for the key bar.
public struct StatusMessage: Equatable, Sendable {
  /// The text.
  public var text: String
  /// Whether it reports a problem (drawn in the alarm style).
  public var isError: Bool

  /// A message, informational unless `isError`.
  public init(_ text: String, isError: Bool = false) {
    self.text = text
    self.isError = isError
  }
}
