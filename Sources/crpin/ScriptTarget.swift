import Script
import TUI

/// What a `SCRIPT|SCENARIO` argument names (`crpin tui --scenario`, `crpin export`): a script
/// file when the argument is `-` (standard input, where the command allows it), contains a `/`,
/// ends in `.crpin` or names a file that exists; otherwise a built-in scenario's id. So
/// `./lesson-smep` or `mine.crpin` is always a file, and `lesson-smep` is the built-in lesson
/// unless a file of that name is in the current directory.
struct ScriptTarget {
  /// The script's text.
  let text: String
  /// Where it came from, as messages show it: the path, `<stdin>`, or `scenario:ID`.
  let path: String
  /// A short id: the scenario's, or the file's name without directory and extension.
  let id: String
  /// The title: the scenario's; for a file, its heading (`ScriptTitle`) or its path.
  let title: String

  /// Why there is no script, already worded for standard error.
  struct Failure: Error {
    let message: String
  }

  /// Whether `argument` names a file rather than a built-in scenario.
  static func isFile(_ argument: String) -> Bool {
    argument == "-" || argument.contains("/") || argument.hasSuffix(".crpin") || InputFile.exists(argument)
  }

  /// The script `argument` names: a file read strictly (`PATH: error: …` when it cannot be, or
  /// `PATH:LINE:COL: error: …` for invalid UTF-8), or a built-in scenario.
  static func resolve(_ argument: String) throws(Failure) -> ScriptTarget {
    if isFile(argument) {
      let source: ScriptSource
      do {
        source = try ScriptSource.read(argument)
      } catch {
        throw Failure(message: error.message)
      }
      let id = argument == "-" ? "stdin" : ExportInput.baseName(argument)
      return ScriptTarget(
        text: source.text, path: source.displayPath, id: id,
        title: ScriptTitle.heading(of: source.text) ?? source.displayPath)
    }
    if let scenario = Scenario.named(argument) {
      return ScriptTarget(
        text: scenario.source, path: "scenario:\(scenario.id)", id: scenario.id, title: scenario.title)
    }
    var message = "error: '\(argument)' is neither a file nor a built-in scenario"
    if let suggestion = Scenario.suggestion(for: argument) { message += "; did you mean '\(suggestion)'?" }
    throw Failure(
      message: message
        + "\n(`crpin scenarios` lists the scenarios; a script's path has a / or ends in .crpin)")
  }

  /// Runs the script headless: its parse or run-time error as `PATH:LINE:COL: error: …` with
  /// the line and a caret, if it has one.
  func headlessError() -> String? {
    guard let error = runScript(text).error else { return nil }
    return error.rendered(path: path, sourceLine: ScriptLines.line(error.line, of: text))
  }

  /// The script as the TUI plays it: cut into steps at the narration, the first narration
  /// without a paragraph that only repeats the title.
  var playback: PlaybackScenario {
    var scenario = PlaybackScenario(id: id, title: title, source: text)
    if scenario.steps.isEmpty {
      scenario.conclusion = ScriptTitle.withoutTitle(scenario.conclusion, title: title)
    } else {
      scenario.steps[0].narration = ScriptTitle.withoutTitle(scenario.steps[0].narration, title: title)
    }
    return scenario
  }
}
