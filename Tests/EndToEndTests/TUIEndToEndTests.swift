import Foundation
import Testing

/// The real binary in a real terminal (tmux): keys in, screen text out, terminal modes after.
@Suite("TUI end to end (tmux)", .serialized)
struct TUIEndToEndTests {
  @Test("tmux is installed (the end-to-end tests fail, not skip, without it)")
  func tmuxPresent() {
    #expect(Tmux.available, "install tmux: apt-get install tmux")
  }

  @Test("start: the booted VM, CR4 0x…360ef0, the cursor on SMEP")
  func startScreen() throws {
    let app = try TUIRun()
    let screen = try app.tmux.waitFor("CR4.SMEP")
    #expect(screen.contains("CR4 0x0000000000360ef0"))
    #expect(screen.contains("!1!"))
    try app.tmux.keys("q")
    let (status, modes) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=0")
    #expect(terminalIsCooked(modes), "\(modes)")
  }

  @Test("cursor moves, and toggling SMEP logs a #GP")
  func toggleSMEP() throws {
    let app = try TUIRun()
    try app.tmux.keys("l")
    try app.tmux.waitFor("CR4.KL")
    try app.tmux.keys("h")
    try app.tmux.waitFor("CR4.SMEP")
    try app.tmux.keys("Space")
    let screen = try app.tmux.waitFor("the #GP in the log") {
      $0.contains("mov cr4, 0x260ef0") && $0.contains("#GP")
    }
    #expect(screen.contains("pin.cr4.high"))
    #expect(screen.contains("CR4 0x0000000000360ef0"))
  }

  @Test("the : prompt runs a statement")
  func commandLine() throws {
    let app = try TUIRun()
    try app.tmux.keys(":")
    try app.tmux.type("mov cr4, cr4 & ~SMEP", enter: true)
    let screen = try app.tmux.waitFor("the statement in the log") {
      $0.contains("guest  mov cr4, cr4 & ~SMEP")
    }
    #expect(screen.contains("#GP"))
    try app.tmux.keys(":")
    try app.tmux.type("mov cr5, 1", enter: true)
    try app.tmux.waitFor("column 5: unknown control register")
  }

  @Test("the host unpins SMEP, then the guest clears it")
  func hostPinning() throws {
    let app = try TUIRun()
    try app.tmux.keys("=")
    try app.tmux.waitFor("host wrmsr CR4_PINNED_HIGH, 0x200800")
    try app.tmux.keys("Space")
    try app.tmux.waitFor("CR4 0x0000000000260ef0")
    try app.tmux.keys("+")
    try app.tmux.waitFor("host wrmsr CR4_PINNED_HIGH, 0x300800")
  }

  @Test("s enters SMM and leaves it")
  func smm() throws {
    let app = try TUIRun()
    try app.tmux.keys("s")
    try app.tmux.waitFor("the SMM mode line") {
      $0.contains("L1  SMM") && $0.contains("CR4 0x0000000000000000")
    }
    try app.tmux.keys("s")
    try app.tmux.waitFor("back from SMM") { $0.contains(" rsm ") && $0.contains("CR4 0x0000000000360ef0") }
  }

  @Test("? shows every key; Esc closes it")
  func help() throws {
    let app = try TUIRun()
    try app.tmux.keys("?")
    try app.tmux.waitFor("toggle bit (MOV to CR)")
    try app.tmux.keys("Escape")
    try app.tmux.waitFor("help closed") { !$0.contains("toggle bit (MOV to CR)") && $0.contains("CR4 0x") }
  }

  @Test("Esc and a key sent together: Esc closes the help, the key then acts")
  func escapeThenKey() throws {
    let app = try TUIRun()
    try app.tmux.keys("?")
    try app.tmux.waitFor("toggle bit (MOV to CR)")
    try app.tmux.keys("Escape", "s")
    try app.tmux.waitFor("help closed, then an SMI") {
      !$0.contains("toggle bit (MOV to CR)") && $0.contains("smi")
    }
  }

  @Test("resizing below 80x24 shows the enlarge message; back up, the view returns")
  func resize() throws {
    let app = try TUIRun()
    try app.tmux.resize(width: 60, height: 15)
    try app.tmux.waitFor("enlarge the window (need 80x24, have 60x15)")
    try app.tmux.resize(width: 100, height: 30)
    try app.tmux.waitFor("the view again") { $0.contains("CR4 0x") && !$0.contains("enlarge") }
    try app.tmux.resize(width: 80, height: 24)
    try app.tmux.waitFor("the compact view") { $0.contains("CR4 0x") && $0.contains("EFER 0xd01") }
  }

  @Test("Ctrl-C with nothing to lose quits 130 and leaves the terminal cooked")
  func controlC() throws {
    // Nothing to lose: no action yet (after one, Ctrl-C asks first: KeysEndToEndTests).
    let app = try TUIRun()
    try app.tmux.keys("C-c")
    let (status, modes) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=130")
    #expect(terminalIsCooked(modes), "\(modes)")
  }

  @Test("q after an action asks first; y quits")
  func quitConfirm() throws {
    let app = try TUIRun()
    try app.tmux.keys("s")
    try app.tmux.waitFor("smi")
    try app.tmux.keys("q")
    try app.tmux.waitFor("would be lost")
    try app.tmux.keys("y")
    let (status, modes) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=0")
    #expect(terminalIsCooked(modes), "\(modes)")
  }

  @Test("--record writes statements as they happen; crpin run replays them")
  func record() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "crpin-e2e-\(UUID().uuidString).crpin")
    defer { try? FileManager.default.removeItem(at: file) }
    let app = try TUIRun(arguments: "--record '\(file.path)'")
    try app.tmux.keys("=")
    try app.tmux.waitFor("host wrmsr")
    try app.tmux.keys("Space")
    try app.tmux.waitFor("CR4 0x0000000000260ef0")
    let written = try String(contentsOf: file, encoding: .utf8)
    #expect(written == "vcpus 2\nhost wrmsr CR4_PINNED_HIGH, 0x200800\nmov cr4, 0x260ef0\n")
    try app.tmux.keys("q")
    _ = try app.exitAndTerminalModes()
    let replay = try Tmux.execute([try CrpinBinary.require(), "run", file.path])
    #expect(replay.status == 0, "\(replay.error)")
  }

  @Test("standard input not a terminal: exit 1 with a one-line error naming crpin run")
  func notATerminal() throws {
    let binary = try CrpinBinary.require()
    let result = try Tmux.execute(
      [binary],
      environment: ["TERM": "xterm-256color", "SWIFT_BACKTRACE": "interactive=no", "PATH": "/usr/bin:/bin"])
    #expect(result.status == 1)
    #expect(result.error.contains("crpin run"))
    #expect(result.error.split(separator: "\n").count == 1)
  }
}
