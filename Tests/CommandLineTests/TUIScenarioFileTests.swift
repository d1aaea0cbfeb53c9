import Foundation
import Script
import TUI
import Testing

@testable import crpin

/// `crpin tui --scenario NAME|FILE`: how a name and a path are told apart, what a file must be
/// to be played, and the asciicast counting steps as the TUI does.
@Suite("tui --scenario FILE")
struct TUIScenarioFileTests {
  /// A lesson of two narrated steps with a heading.
  static let lesson = """
    #> SMEP in two steps
    #>
    #> Clear SMEP with a raw mov.
    clear cr4.SMEP
    expect gp
    #> The VMM unpins, then the same mov works.
    host wrmsr CR4_PINNED_HIGH, 0
    clear cr4.SMEP
    expect ok

    """

  @Test(
    "a file: -, a path with a /, a name ending in .crpin, or a file that exists; else a scenario id",
    arguments: [
      ("-", true), ("./lesson-smep", true), ("lessons/mine", true), ("mine.crpin", true),
      ("/", true), ("lesson-smep", false), ("no-such-lesson", false), ("crpin", false),
    ])
  func fileOrName(argument: String, isFile: Bool) {
    #expect(ScriptTarget.isFile(argument) == isFile)
  }

  @Test(
    "validation: a built-in id or any path passes; a mistyped id, - and --quiz alone do not",
    arguments: [
      (["--scenario", "lesson-smep"], true), (["--scenario", "LESSON-SMEP", "--quiz"], true),
      (["--scenario", "missing.crpin"], true), (["--scenario", "dir/mine", "--quiz"], true),
      (["--scenario", "lesson-smpe"], false), (["--scenario", "-"], false), (["--quiz"], false),
    ])
  func validation(arguments: [String], valid: Bool) {
    #expect(((try? TUICommand.parse(arguments)) != nil) == valid)
  }

  @Test("a mistyped id is suggested, and the error says how a path is written")
  func mistypedID() {
    do {
      _ = try TUICommand.parse(["--scenario", "lesson-smpe"])
      Issue.record("a mistyped scenario id was accepted")
    } catch {
      let message = TUICommand.message(for: error)
      #expect(message.contains("did you mean lesson-smep?"))
      #expect(message.contains("a script's path has a / or ends in .crpin"))
    }
  }

  @Test("validation: - is refused (standard input is the terminal)")
  func standardInput() {
    do {
      _ = try TUICommand.parse(["--scenario", "-"])
      Issue.record("--scenario - was accepted")
    } catch {
      #expect(TUICommand.message(for: error).contains("standard input is the terminal"))
    }
  }

  @Test("a narrated file plays: a step per narration, titled by its heading, not repeated")
  func playsFile() throws {
    let directory = try RecordFileTests.Directory()
    let path = directory.file("two.crpin")
    try Self.lesson.write(toFile: path, atomically: false, encoding: .utf8)
    let scenario = try TUICommand.playback(path).get()
    #expect(scenario.id == "two")
    #expect(scenario.title == "SMEP in two steps")
    #expect(scenario.steps.count == 2)
    #expect(
      scenario.steps.map(\.narration) == [
        ["Clear SMEP with a raw mov."], ["The VMM unpins, then the same mov works."],
      ])
    #expect(
      scenario.steps[1].lines.map(\.text) == ["host wrmsr CR4_PINNED_HIGH, 0", "clear cr4.SMEP", "expect ok"])
    let untitled = directory.file("plain.crpin")
    try "#> One step.\nclac\n".write(toFile: untitled, atomically: false, encoding: .utf8)
    #expect(try TUICommand.playback(untitled).get().title == untitled)
  }

  @Test("a built-in id still plays the built-in scenario")
  func playsBuiltIn() throws {
    let scenario = try TUICommand.playback("lesson-smep").get()
    #expect(scenario == PlaybackScenario(try #require(Scenario.named("lesson-smep"))))
  }

  @Test("a parse error: PATH:LINE:COL, the line and a caret; other problems name the path")
  func refusals() throws {
    let directory = try RecordFileTests.Directory()
    let bad = directory.file("bad.crpin")
    try "#> Narration.\nclac\nmvo cr4, 0\n".write(toFile: bad, atomically: false, encoding: .utf8)
    #expect(failure(bad) == "\(bad):3:1: error: unknown statement 'mvo'; did you mean 'mov'?\nmvo cr4, 0\n^")
    let run = directory.file("run.crpin")
    try "vcpu 3\n".write(toFile: run, atomically: false, encoding: .utf8)
    #expect(failure(run)?.hasPrefix("\(run):1:6: error: there is no vCPU 3") == true)
    let empty = directory.file("empty.crpin")
    try "#> Only words.\n".write(toFile: empty, atomically: false, encoding: .utf8)
    #expect(failure(empty) == "\(empty): error: no statements to play")
    #expect(
      failure(directory.file("missing.crpin")) == "\(directory.file("missing.crpin")): error: no such file")
    #expect(failure(directory.path)?.hasSuffix("error: is a directory, not a script") == true)
  }

  /// The message `TUICommand.playback` refuses `path` with.
  private func failure(_ path: String) -> String? {
    guard case .failure(let failure) = TUICommand.playback(path) else { return nil }
    return failure.message
  }

  @Test("asciicast: a frame per narrated step, `step k/N` as the TUI shows it, no key bar")
  func asciicastNumbering() throws {
    let lesson = PlaybackScenario(try #require(Scenario.named("lesson-smep")))
    let cast = try Asciicast.render(lesson, width: 100, height: 30).get()
    let frames = cast.split(separator: "\n").dropFirst().map(String.init).filter { !$0.hasSuffix(", \"\"]") }
    let castLabels = frames.map { Self.stepLabels(in: $0) }
    // The TUI, stepped with n as a trainer does.
    var state = AppState(vcpuCount: 1, scenarios: [lesson], size: TerminalSize(width: 100, height: 30))
    _ = state.startScenario(lesson)
    var tuiLabels = [Self.stepLabels(in: Self.text(view(state, width: 100, height: 30)))]
    #expect(Self.text(view(state, width: 100, height: 30)).contains("Spc toggle"))
    for _ in lesson.steps {
      _ = update(&state, .key(.character("n")))
      tuiLabels.append(Self.stepLabels(in: Self.text(view(state, width: 100, height: 30))))
    }
    #expect(castLabels == tuiLabels)
    #expect(castLabels == (0...9).map { ["step \($0)/9"] })
    #expect(!cast.contains("Spc toggle"))
  }

  /// Every different `step k/N` in `text`, in order (the presenter layout shows the label twice).
  private static func stepLabels(in text: String) -> [String] {
    var labels: [String] = []
    for match in text.matches(of: /step \d+\/\d+/) where !labels.contains(String(match.output)) {
      labels.append(String(match.output))
    }
    return labels
  }

  /// The screen's characters, row after row.
  private static func text(_ screen: Screen) -> String {
    (0..<screen.height).map { row in
      String(String.UnicodeScalarView((0..<screen.width).map { screen[row, $0].scalar }))
    }.joined(separator: "\n")
  }
}
