import Testing

/// An unknown `TERM` (issue 19, item 8): one message, exit 1, the terminal untouched.
@Suite("an unknown terminal type (tmux)")
struct UnknownTerminalTests {
  @Test("TERM=no-such-terminal: exactly one message, exit 1")
  func unknownTerm() throws {
    let binary = try CrpinBinary.require()
    let tmux = try Tmux()
    try tmux.type("clear; TERM=no-such-terminal '\(binary)' tui; echo EXIT=$?", enter: true)
    let screen = try tmux.waitForExitStatus()
    let lines = screen.split(separator: "\n").map(String.init).filter {
      !$0.isEmpty && !$0.contains("EXIT=") && !$0.contains("clear;") && !$0.hasPrefix("bash")
    }
    #expect(
      lines == [
        "crpin: unknown terminal type 'no-such-terminal' (check TERM); use `crpin run` for headless use"
      ],
      "\(screen)")
    #expect(screen.contains("EXIT=1"))
  }
}
