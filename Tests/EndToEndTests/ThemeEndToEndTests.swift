import Foundation
import Testing

/// Terminal types and backgrounds, in a real terminal (tmux): what the backend decides from
/// `TERM`, `COLORFGBG` and `--background`, seen in the characters and colours tmux holds.
@Suite("themes and terminals end to end (tmux)", .serialized)
struct ThemeEndToEndTests {
  /// A tmux window at a shell in /tmp, with `crpin` run as `command` (its environment first).
  private func start(_ command: String, width: Int = 100, height: Int = 30) throws -> Tmux {
    let binary = try CrpinBinary.require()
    let tmux = try Tmux(width: width, height: height)
    try tmux.type("cd /tmp", enter: true)
    try tmux.type(
      "SWIFT_BACKTRACE=interactive=no \(command.replacingOccurrences(of: "crpin", with: "'\(binary)'"))"
        + "; echo \"EXIT=$?\"", enter: true)
    return tmux
  }

  @Test("TERM=dumb: refused with one clear message and exit 1, like an unknown terminal")
  func dumbRefused() throws {
    let tmux = try start("TERM=dumb crpin tui")
    let screen = try tmux.waitForExitStatus()
    #expect(screen.contains("EXIT=1"))
    #expect(screen.contains("crpin: terminal type 'dumb' cannot move the cursor"))
    #expect(screen.contains("crpin run"))
    #expect(!screen.contains("CR4 0x"))
  }

  @Test("TERM=linux: light box corners (the console font has no rounded ones)")
  func linuxCorners() throws {
    let tmux = try start("TERM=linux crpin tui")
    let screen = try tmux.waitFor("CR4 0x")
    #expect(screen.contains("┌ CR0 0x"))
    #expect(screen.contains("└"))
    #expect(!screen.contains("╭") && !screen.contains("╰"))
    try tmux.keys("q")
    let exit = try tmux.waitForExitStatus()
    #expect(exit.contains("EXIT=0"))
  }

  @Test("--ascii: nothing outside ASCII on the screen")
  func asciiOnly() throws {
    let tmux = try start("TERM=xterm-256color crpin tui --ascii")
    let screen = try tmux.waitFor("CR4 0x")
    let app = screen
    let asciiOnly = app.unicodeScalars.allSatisfy { $0.isASCII }
    #expect(asciiOnly, "\(app)")
    #expect(app.contains("+ CR0 0x"))
    try tmux.keys("q")
  }

  @Test("COLORFGBG says light: the projector theme paints white; --background dark overrides it")
  func lightBackground() throws {
    /// The styled line of the register panel's top edge.
    func panelEdge(_ tmux: Tmux) throws -> String {
      try tmux.waitFor("CR4 0x")
      return try tmux.captureStyled().components(separatedBy: "\n").first { $0.contains("CR0 0x") } ?? ""
    }
    let light = try start("TERM=xterm-256color COLORFGBG='0;15' crpin tui --theme projector")
    let lightEdge = try panelEdge(light)
    #expect(lightEdge.contains("48;5;231") && !lightEdge.contains("48;5;16"), "white paper: \(lightEdge)")
    #expect(lightEdge.contains("38;5;16m"), "black text: \(lightEdge)")
    try light.keys("q")
    let dark = try start("TERM=xterm-256color COLORFGBG='0;15' crpin tui --theme projector --background dark")
    let darkEdge = try panelEdge(dark)
    #expect(darkEdge.contains("48;5;16") && !darkEdge.contains("48;5;231"), "black paper: \(darkEdge)")
    try dark.keys("q")
  }

  @Test("COLORFGBG says light: the default theme's key hints are dark blue, not pale yellow")
  func lightDefaultTheme() throws {
    let tmux = try start("TERM=xterm-256color COLORFGBG='0;15' crpin tui")
    try tmux.waitFor("CR4 0x")
    let keyBar = try tmux.captureStyled().components(separatedBy: "\n").last { $0.contains("toggle") } ?? ""
    #expect(keyBar.contains("38;5;19m"), "\(keyBar)")
    #expect(!keyBar.contains("38;5;228m"), "\(keyBar)")
    try tmux.keys("q")
  }
}
