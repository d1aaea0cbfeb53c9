import ArgumentParser
import CursesBackend
import RealKVM
import Script
import TUI

/// `crpin tui` (the default): the interactive view of CR0/CR4, the pins, SMM and nesting.
struct TUICommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tui",
    abstract: "The interactive view (the default): poke CR0/CR4 bits and pins, see #GP before it happens.",
    usage: """
      crpin [tui] [--scenario <scenario>] [--quiz] [--present]
      [--record <file>] [--vcpus <n>] [--theme <theme>] [--no-color] [--ascii]
      [--background <background>] [--from <file>]
      """,
    discussion: """
      Press ? inside for every key. Needs a terminal; for scripts and pipes use `crpin run`. \
      With --record FILE every action is appended to FILE as a script statement as it happens \
      (undo rewrites it), so `crpin run FILE` replays the session to the same state.
      """
  )

  @Option(
    help: """
      Start playing a built-in scenario (see `crpin scenarios`) or a script file with #> narration \
      (a path with a / or ending in .crpin, or any file that exists): a step per narration.
      """,
    completion: Completions.scenarioOrScript)
  var scenario: String?

  @Option(
    help: "Write every action to this file as script statements, flushed as they happen.",
    completion: .file(extensions: ["crpin"]))
  var record: String?

  @Flag(help: "Monochrome: no colours (also when NO_COLOR is set).")
  var noColor = false

  // Unconditional: `--vcpus -1` is a value out of range, not a missing value.
  @Option(
    parsing: .unconditional,
    help: "How many vCPUs the VM has (1-8; default 2, or 1 with --kvm: the real vCPU follows vCPU 0).",
    completion: Completions.vcpuCounts)
  var vcpus: Int?

  /// `--vcpus`, or its default: 2, and 1 with `--kvm` (the real vCPU follows vCPU 0 only).
  var vcpuCount: Int { vcpus ?? (kvm ? 1 : 2) }

  @Flag(
    help: "Predict mode (with --scenario): before each step's outcome shows, predict it; a running score.")
  var quiz = false

  @Option(
    help: "color (the default), mono, or projector: high contrast, bit names spelled out, fewer columns.",
    completion: Completions.themes)
  var theme = "color"

  @Option(
    help:
      "Start from the CR0/CR3/CR4/EFER found in a pasted oops or QEMU/gdb register dump (via host sregs).",
    completion: .file()
  )
  var from: String?

  // The presenter layout (issue 12, "present").
  @Flag(
    help:
      "Presenter layout for scenarios at any size (on by itself below 110x32): narration that scrolls, the step's outcome large."
  )
  var present = false

  // Themes for projectors and light terminals (issue 12).
  @Option(
    help: """
      The terminal's background, for the colour and projector themes' light or dark variant: \
      auto (COLORFGBG, else the terminal's answer to an OSC 11 query, else dark), light or dark.
      """)
  var background: BackgroundPreference = .auto

  @Flag(help: "Draw ASCII characters only (automatic when the locale is not UTF-8).")
  var ascii = false

  // The real KVM (issue 15).
  @Flag(
    help: """
      Run every action on this machine's real KVM too (/dev/kvm): each log entry gains the real \
      outcome, ✓ where it agrees with the model, ✗ where it differs. The model starts as `run \
      --kvm`'s comparison model (kvm-pin off unless the host's KVM advertises the patch).
      """)
  var kvm = false

  func validate() throws {
    guard (1...8).contains(vcpuCount) else {
      throw ValidationError("--vcpus must be 1 to 8 (got \(vcpuCount))")
    }
    if scenario == "-" {
      throw ValidationError("--scenario needs a file: standard input is the terminal")
    }
    if let scenario, !ScriptTarget.isFile(scenario), Scenario.named(scenario) == nil {
      let hint = Scenario.suggestion(for: scenario).map { " (did you mean \($0)?)" } ?? ""
      throw ValidationError(
        "no scenario '\(scenario)'\(hint); `crpin scenarios` lists them, and a script's path has a / or ends in .crpin"
      )
    }
    if quiz, scenario == nil {
      throw ValidationError("--quiz needs --scenario NAME|FILE: it asks about each step")
    }
    guard Theme.named(theme) != nil else {
      throw ValidationError("no theme '\(theme)': color, mono or projector")
    }
    if from == "-" { throw ValidationError("--from needs a file: standard input is the terminal") }
  }

  func run() throws {
    var playback: PlaybackScenario?
    if let scenario {
      switch Self.playback(scenario) {
      case .success(let loaded): playback = loaded
      case .failure(let failure):
        Console.error(failure.message)
        throw ExitCode(2)
      }
    }
    // The real vCPU is opened before the terminal is touched: no KVM is one line, exit 2.
    var real: RealVCPU?
    if kvm {
      guard let opened = KVMRun.openRealVCPU() else { throw ExitCode(2) }
      real = opened
    }
    let status = try MainActor.assumeIsolated { () throws -> Int32 in
      var loop = TUILoop(options: self, scenario: playback, real: real.map(TUIRealKVM.init))
      return try loop.run()
    }
    if status != 0 { throw ExitCode(status) }
  }

  /// The scenario `--scenario` names, read before the terminal is touched: a built-in one, or
  /// a script file that parses and runs headless without an error (its failed `expect` lines
  /// are fine: the TUI shows them). The failure is worded for standard error: `PATH: error: …`,
  /// or `PATH:LINE:COL: error: …` with the line and a caret.
  static func playback(_ argument: String) -> Result<PlaybackScenario, ScriptTarget.Failure> {
    let target: ScriptTarget
    do {
      target = try ScriptTarget.resolve(argument)
    } catch {
      return .failure(error)
    }
    if let error = target.headlessError() { return .failure(ScriptTarget.Failure(message: error)) }
    let scenario = target.playback
    guard !scenario.steps.isEmpty else {
      return .failure(ScriptTarget.Failure(message: "\(target.path): error: no statements to play"))
    }
    return .success(scenario)
  }
}

/// The main loop: view → draw → wait for an event → update → carry out the effects.
@MainActor
private struct TUILoop {
  let options: TUICommand
  /// The scenario to start playing (`--scenario`), already read.
  let scenario: PlaybackScenario?
  /// The real vCPU every step also runs on (`--kvm`), already opened, reset and booted.
  var real: TUIRealKVM?

  /// How long to wait for input before a tick (autoplay).
  static let pollMilliseconds: Int32 = 150

  /// Runs until the user quits (130 after Ctrl-C) or a terminating signal asks to; returns the
  /// exit status.
  mutating func run() throws -> Int32 {
    var recordFile: RecordFile?
    if let path = options.record {
      do {
        recordFile = try RecordFile(path: path)
      } catch {
        Console.error("crpin: \(error.message)")
        return 1
      }
    }
    var dumpStart: DumpStart?
    if let path = options.from {
      do {
        guard let start = DumpStart(dump: try PastedText.read(path)) else {
          Console.error("crpin: \(path): no CR0, CR3, CR4 or EFER found (see crpin explain --from)")
          return 1
        }
        dumpStart = start
      } catch {
        Console.error("crpin: \(error.message)")
        return 1
      }
    }
    let theme = Theme.named(options.theme) ?? .color
    let terminal: TerminalSession
    do {
      terminal = try TerminalSession.start(
        colorPreference: options.noColor || !theme.usesColor ? .never : .auto, colorTheme: theme,
        background: options.background, asciiOnly: options.ascii)
    } catch {
      Console.error("crpin: \(error.description)")
      return 1
    }
    defer { terminal.end() }

    let size = terminal.size
    var state = AppState(
      vcpuCount: options.vcpuCount, isRecording: recordFile != nil,
      size: TerminalSize(width: size.width, height: size.height),
      setup: dumpStart.map { [$0.statement] } ?? [],
      quiz: options.quiz, projector: theme.name == .projector, realKVM: real?.info)
    if let dumpStart, let path = options.from { state.describe(dumpStart, file: path) }
    state.presentForced = options.present
    if let start = real?.startDifference {
      state.message = StatusMessage("real KVM: start states differ: \(start)", isError: true)
    }
    var pending: [Effect] = [.rewriteRecord(state.transcript.lines)] + state.takeRealKVMEffects()
    if let scenario { pending += state.startScenario(scenario) + state.takeRealKVMEffects() }

    let clock = ContinuousClock()
    var last = clock.now
    while !terminal.interruptRequested {
      var followUp: [Effect] = []
      for effect in pending {
        switch effect {
        case .quit: return 0
        case .interrupt: return 130
        case .record(let lines):
          if let error = recordFile?.append(lines) { state.message = StatusMessage(error, isError: true) }
        case .rewriteRecord(let lines):
          if let error = recordFile?.rewrite(lines) { state.message = StatusMessage(error, isError: true) }
        case .runOnRealKVM(let request):
          if let report = real?.perform(request) { followUp += update(&state, real: report) }
        }
      }
      pending = followUp
      let size = terminal.size
      if size.width != state.size.width || size.height != state.size.height {
        pending += update(&state, .resize(width: size.width, height: size.height))
      }
      let frame = render(state, width: size.width, height: size.height)
      terminal.draw(frame.screen)
      state.drawnBits = frame.hitMap
      // Every event already waiting (a paste, key repeat, wheel turns) is handled before the
      // next draw; one that asks for an effect ends the batch, so effects run in order. A
      // signal (Ctrl-C, SIGTERM) ends it too: it is seen to before the rest of a paste.
      // Work under way (the compare pane computing its columns) goes on at every tick.
      var wait = state.isWorking ? 0 : Self.pollMilliseconds
      for _ in 0..<256 where !terminal.signalPending {
        guard let event = terminal.nextEvent(timeoutMilliseconds: wait) else { break }
        let effects = update(&state, event)
        pending += effects
        if !effects.isEmpty { break }
        wait = 0
      }
      // Ctrl-C is a signal (the terminal keeps ISIG): each one goes to `update` as its key.
      for _ in 0..<terminal.takeKeyboardInterrupts() {
        pending += update(&state, .key(.control("c")))
      }
      let now = clock.now
      let (seconds, attoseconds) = last.duration(to: now).components
      last = now
      pending += update(&state, tick: Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    }
    return 128 + (terminal.interruptSignal ?? 2)
  }
}
