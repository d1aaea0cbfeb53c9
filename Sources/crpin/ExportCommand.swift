import ArgumentParser
import Script
import TUI

/// `crpin export slides|asciicast SCRIPT|SCENARIO -o FILE`: a script or built-in scenario as
/// Markdown slides or as an asciicast of the TUI playing it.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Export a script or scenario as Markdown slides or an asciicast of the TUI.",
    discussion: """
      crpin export slides lesson-smep -o smep.md            a slide per step
      crpin export slides lesson-smep -o smep.md --handout  a section per statement
      crpin export asciicast lesson-smep -o smep.cast       asciinema play smep.cast
      crpin export asciicast my.crpin -o my.cast --size 120x40

      Both are deterministic (the same script gives the same bytes). A file is written \
      atomically (a new FILE.tmp-XXXXXX beside it, then renamed), keeping an existing file's \
      mode and owner; a symbolic link is followed; a character device or FIFO is written \
      through; -o - is standard output. Refused: a directory, a file with other hard links, \
      the input script itself. Exit status: 0; 1 when an `expect` line failed (the file is \
      still written); 2 on a usage, read, parse or run error or a refused FILE (nothing is \
      written); 3 when writing failed (disk full, `ulimit -f`; no partial FILE is left).
      """,
    subcommands: [ExportSlides.self, ExportAsciicast.self]
  )
}

/// What both exports take: the script and the output file.
struct ExportInput: ParsableArguments {
  @Argument(
    help: """
      A built-in scenario's id (see `crpin scenarios`), a script's path (one with a / or ending in \
      .crpin, or any file that exists), or - for standard input.
      """,
    completion: Completions.scenarioOrScript)
  var target: String

  @Option(name: .shortAndLong, help: "The file to write (- for standard output).", completion: .file())
  var output: String

  /// The script named by `target` (see `ScriptTarget`), or exit status 2 after saying why
  /// there is none.
  func resolve() throws -> ScriptTarget {
    do {
      return try ScriptTarget.resolve(target)
    } catch {
      Console.error(error.message)
      throw ExitCode(2)
    }
  }

  /// The file's name without its directory or extension, as Foundation's URL gives it for a
  /// file: `dir/my.crpin` → `my`, `my.tar.gz` → `my.tar`; `.hidden`, `..crpin` and `notes.` keep
  /// their dots (the extension is what follows the last dot, when it is not empty and what is
  /// before it is not empty, `.` or `..`).
  static func baseName(_ path: String) -> String {
    var bytes = path.utf8[...]
    while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes = bytes.dropLast() }
    if let slash = bytes.lastIndex(of: UInt8(ascii: "/")), bytes.count > 1 {
      bytes = bytes[bytes.index(after: slash)...]
    }
    let name = String(decoding: bytes, as: UTF8.self)
    guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")), bytes.index(after: dot) != bytes.endIndex else {
      return name
    }
    let stem = String(decoding: bytes[..<dot], as: UTF8.self)
    return ["", ".", ".."].contains(stem) ? name : stem
  }

  /// Reports a run's error (then exit 2, before anything is written).
  static func check(_ report: ScriptReport, _ script: ScriptTarget) throws {
    if let error = report.error {
      Console.error(
        error.rendered(path: script.path, sourceLine: ScriptLines.line(error.line, of: script.text)))
      throw ExitCode(2)
    }
  }

  /// Writes `text` to the output file, reports failed expectations, and ends with the status.
  func finish(_ text: String, report: ScriptReport, script: ScriptTarget, summary: String) throws {
    let input = ScriptTarget.isFile(target) && target != "-" ? target : nil
    let destination: OutputTarget
    do throws(OutputTarget.Failure) {
      destination = try OutputTarget.resolve(output, input: input)
      // Slides carry the script's narration and notes: no control character reaches a reader's
      // terminal (an asciicast's frames are made safe cell by cell, in `Asciicast`).
      try destination.write(TerminalSafe.text(text))
    } catch {
      Console.error(error.message)
      throw ExitCode(error.status)
    }
    for failure in report.failures {
      Console.error(
        TerminalSafe.text(
          "\(script.path):\(failure.line): expectation failed: \(failure.text): \(failure.result.message)"))
    }
    // With `-o -` the export is standard output, so the summary goes to standard error.
    if destination == .standardOutput {
      Console.error("wrote standard output: \(summary)")
    } else {
      Console.out("wrote \(output): \(summary)")
    }
    throw ExitCode(report.exitCode)
  }
}

/// `crpin export slides SCRIPT|SCENARIO -o FILE.md [--handout]`.
struct ExportSlides: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "slides",
    abstract: "Markdown slides (Marp, reveal-md): a slide per narrated step, `---` between slides.",
    discussion: """
      Each slide has the step's narration, its statements with their outcomes, rules, layers and \
      checks, and the registers, pins and options the step changed. Render with Marp \
      (`marp FILE.md`, or Marp for VS Code) or reveal-md (`reveal-md FILE.md`). With --handout, \
      a document instead: a section per statement with every register before and after.
      """
  )

  @OptionGroup var input: ExportInput

  @Flag(help: "A handout: a section per statement, every register and pin before and after, the notes.")
  var handout = false

  func run() throws {
    let script = try input.resolve()
    let deck = SlideDeck(
      source: script.text, title: script.title, origin: "`\(script.path)`", form: handout ? .handout : .slides
    )
    try ExportInput.check(deck.report, script)
    let count = deck.sectionCount
    let summary =
      handout
      ? "\(count) statement\(count == 1 ? "" : "s") (handout)"
      : "\(count) step\(count == 1 ? "" : "s") (slides)"
    try input.finish(deck.markdown, report: deck.report, script: script, summary: summary)
  }
}

/// `crpin export asciicast SCRIPT|SCENARIO -o FILE [--size WxH]`.
struct ExportAsciicast: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "asciicast",
    abstract:
      "asciicast v2 of the TUI playing the steps, a frame per step as the TUI counts them (asciinema play FILE)."
  )

  @OptionGroup var input: ExportInput

  @Option(help: "The terminal size, COLUMNSxROWS (at least 80x24).", completion: Completions.sizes)
  var size: String = "100x30"

  /// The size as numbers, if it is `WxH` within bounds.
  private var dimensions: (width: Int, height: Int)? {
    let parts = size.lowercased().split(separator: "x", omittingEmptySubsequences: false)
    guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]) else { return nil }
    let minimum = AppState.minimumSize
    guard (minimum.width...500).contains(width), (minimum.height...200).contains(height) else { return nil }
    return (width, height)
  }

  func validate() throws {
    guard dimensions != nil else {
      let minimum = AppState.minimumSize
      throw ValidationError(
        "--size must be COLUMNSxROWS from \(minimum.width)x\(minimum.height) to 500x200, e.g. 100x30 (got '\(size)')"
      )
    }
  }

  func run() throws {
    guard let (width, height) = dimensions else { throw ExitCode(2) }
    let script = try input.resolve()
    if let message = StatementCap.excess(
      script.text, path: script.path, limit: StatementCap.asciicast, command: "export asciicast")
    {
      Console.error(message)
      throw ExitCode(2)
    }
    let report = runScript(script.text, format: .text) { _ in }
    try ExportInput.check(report, script)
    let playback = script.playback
    switch Asciicast.render(playback, width: width, height: height) {
    case .failure(let failure):
      Console.error("\(script.path): error: the TUI refused a step: \(failure.message)")
      throw ExitCode(2)
    case .success(let cast):
      let frames = cast.split(separator: "\n").count - 2
      let steps = playback.steps.count
      try input.finish(
        cast, report: report, script: script,
        summary: "\(steps) step\(steps == 1 ? "" : "s"), \(frames) frames, \(width)x\(height)")
    }
  }
}
