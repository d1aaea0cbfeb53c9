import Foundation
import Testing

/// A trainer's own script through the real binary in tmux: `crpin tui --scenario FILE`.
@Suite("TUI playing a script file end to end (tmux)", .serialized)
struct TrainerScriptEndToEndTests {
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

  /// A fresh directory holding `text` as `name`; its path.
  private static func script(_ name: String, _ text: String) throws -> (directory: URL, path: String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "crpin-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let file = directory.appendingPathComponent(name)
    try text.write(to: file, atomically: false, encoding: .utf8)
    return (directory, file.path)
  }

  @Test("--scenario FILE: its narration, step 0/2; n runs a step at a time to 2/2")
  func playsFile() throws {
    let (directory, path) = try Self.script("two.crpin", Self.lesson)
    defer { try? FileManager.default.removeItem(at: directory) }
    let app = try TUIRun(arguments: "tui --scenario '\(path)'")
    let start = try app.tmux.waitFor("the first step's narration") {
      $0.contains("step 0/2") && $0.contains("Clear SMEP with a raw mov.")
    }
    #expect(start.contains("SMEP in two steps"))
    #expect(start.contains("next ▸ clear cr4.SMEP"))
    try app.tmux.keys("n")
    let first = try app.tmux.waitFor("step 1/2 and its #GP") {
      $0.contains("step 1/2") && $0.contains("#GP") && $0.contains("The VMM unpins")
    }
    #expect(first.contains("CR4 0x0000000000360ef0"))
    try app.tmux.keys("n")
    try app.tmux.waitFor("step 2/2, SMEP cleared") {
      $0.contains("step 2/2") && $0.contains("CR4 0x0000000000260ef0") && $0.contains("finished")
    }
    try app.tmux.keys("q")
    try app.tmux.waitFor("would be lost")
    try app.tmux.keys("y")
    let (status, modes) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=0")
    #expect(terminalIsCooked(modes), "\(modes)")
  }

  @Test("--scenario FILE --quiz: n asks about the step's statement")
  func quizFile() throws {
    let (directory, path) = try Self.script("two.crpin", Self.lesson)
    defer { try? FileManager.default.removeItem(at: directory) }
    let app = try TUIRun(arguments: "tui --scenario '\(path)' --quiz")
    try app.tmux.waitFor("n predict it")
    try app.tmux.keys("n")
    try app.tmux.waitFor("What will this do?")
    try app.tmux.keys("g")
    try app.tmux.waitFor("the verdict") { $0.contains("✓ right") && $0.contains("score 1/1") }
  }

  @Test("--scenario FILE with a parse error: PATH:LINE:COL and a caret, exit 2, no TUI")
  func parseError() throws {
    let (directory, _) = try Self.script("bad.crpin", "#> Narration.\nclac\nmvo cr4, 0\n")
    defer { try? FileManager.default.removeItem(at: directory) }
    let binary = try CrpinBinary.require()
    let tmux = try Tmux()
    // From the script's directory, so the message fits on a line.
    try tmux.type("cd '\(directory.path)'", enter: true)
    try tmux.type(
      "SWIFT_BACKTRACE=interactive=no '\(binary)' tui --scenario bad.crpin; echo \"EXIT=$?\"; stty -a",
      enter: true)
    let screen = try tmux.waitFor("the exit line and stty output") {
      $0.contains("EXIT=") && $0.contains("icanon")
    }
    #expect(screen.contains("\nbad.crpin:3:1: error: unknown statement 'mvo'; did you mean 'mov'?\n"))
    #expect(screen.contains("\nmvo cr4, 0\n^"))
    #expect(screen.contains("EXIT=2"))
    #expect(!screen.contains("CR4 0x"))
    #expect(terminalIsCooked(screen), "\(screen)")
  }
}
