import ArgumentParser
import CursesBackend
import Script
import TUI

/// `crpin tui` (the default): the interactive view of CR0/CR4, the pins, SMM and nesting.
struct TUICommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tui",
    abstract: "The interactive view (the default): poke CR0/CR4 bits and pins, see #GP before it happens.",
    discussion: """
      Press ? inside for every key. Needs a terminal; for scripts and pipes use `crpin run`.
      With --record FILE every action is appended to FILE as a script statement as it happens
      (undo rewrites it), so `crpin run FILE` replays the session to the same state.
      """
  )

  @Option(help: "Start playing this built-in scenario (see `crpin scenarios`).")
  var scenario: String?

  @Option(help: "Write every action to this file as script statements, flushed as they happen.")
  var record: String?

  @Flag(help: "Monochrome: no colours (also when NO_COLOR is set).")
  var noColor = false

  @Option(help: "How many vCPUs the VM has (1-8).")
  var vcpus = 2

  @Flag(
    help: "Predict mode (with --scenario): before each step's outcome shows, predict it; a running score.")
  var quiz = false

  @Option(
    help: "color (the default), mono, or projector: high contrast, bit names spelled out, fewer columns.")
  var theme = "color"

  @Option(
    help: "Start from the CR0/CR3/CR4/EFER found in a pasted oops or QEMU/gdb register dump (via host sregs)."
  )
  var from: String?

  // Themes for projectors and light terminals (issue 12).
  @Option(
    help: """
      The terminal's background, for the colour and projector themes' light or dark variant: \
      auto (COLORFGBG, else the terminal's answer to an OSC 11 query, else dark), light or dark.
      """)
  var background: BackgroundPreference = .auto

  @Flag(help: "Draw ASCII characters only (automatic when the locale is not UTF-8).")
  var ascii = false

  func validate() throws {
    guard (1...8).contains(vcpus) else { throw ValidationError("--vcpus must be 1 to 8") }
    if let scenario, Scenario.named(scenario) == nil {
      let hint = Scenario.suggestion(for: scenario).map { " (did you mean \($0)?)" } ?? ""
      throw ValidationError("no scenario '\(scenario)'\(hint); `crpin scenarios` lists them")
    }
    if quiz, scenario == nil {
      throw ValidationError("--quiz needs --scenario NAME: it asks about each step")
    }
    guard Theme.named(theme) != nil else {
      throw ValidationError("no theme '\(theme)': color, mono or projector")
    }
    if from == "-" { throw ValidationError("--from needs a file: standard input is the terminal") }
  }

  func run() throws {
    let status = try MainActor.assumeIsolated { () throws -> Int32 in
      try TUILoop(options: self).run()
    }
    if status != 0 { throw ExitCode(status) }
  }
}

/// The main loop: view → draw → wait for an event → update → carry out the effects.
@MainActor
private struct TUILoop {
  let options: TUICommand

  /// How long to wait for input before a tick (autoplay).
  static let pollMilliseconds: Int32 = 150

  /// Runs until the user quits or a signal asks to; returns the exit status.
  func run() throws -> Int32 {
    var recordFile: RecordFile?
    if let path = options.record {
      do {
        recordFile = try RecordFile(path: path)
      } catch {
        Console.error("crpin: \(error.message)")
        return 1
      }
    }
    var setup: [String] = []
    if let path = options.from {
      do {
        guard let statement = AppState.startStatement(fromDump: try PastedText.read(path)) else {
          Console.error("crpin: \(path): no CR0, CR3, CR4 or EFER found (see crpin explain --from)")
          return 1
        }
        setup.append(statement)
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
      vcpuCount: options.vcpus, isRecording: recordFile != nil,
      size: TerminalSize(width: size.width, height: size.height), setup: setup, quiz: options.quiz,
      projector: theme.name == Theme.projector.name)
    var pending: [Effect] = [.rewriteRecord(state.transcript.lines)]
    if let id = options.scenario, let effects = state.startScenario(id: id) { pending += effects }

    let clock = ContinuousClock()
    var last = clock.now
    while !terminal.interruptRequested {
      for effect in pending {
        switch effect {
        case .quit: return 0
        case .record(let lines):
          if let error = recordFile?.append(lines) { state.message = StatusMessage(error, isError: true) }
        case .rewriteRecord(let lines):
          if let error = recordFile?.rewrite(lines) { state.message = StatusMessage(error, isError: true) }
        }
      }
      pending = []
      let size = terminal.size
      if size.width != state.size.width || size.height != state.size.height {
        pending += update(&state, .resize(width: size.width, height: size.height))
      }
      terminal.draw(view(state, width: size.width, height: size.height))
      // Every event already waiting (a paste, key repeat, wheel turns) is handled before the
      // next draw; one that asks for an effect ends the batch, so effects run in order.
      var wait = Self.pollMilliseconds
      for _ in 0..<256 {
        guard let event = terminal.nextEvent(timeoutMilliseconds: wait) else { break }
        let effects = update(&state, event)
        pending += effects
        if !effects.isEmpty { break }
        wait = 0
      }
      let now = clock.now
      let (seconds, attoseconds) = last.duration(to: now).components
      last = now
      pending += update(&state, tick: Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    }
    return 128 + (terminal.interruptSignal ?? 2)
  }
}
