import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Every signal that would end or stop the TUI leaves the terminal as it found it (issue 19,
/// item 3): sent with kill(2) to the running crpin, then the shell's screen (no alternate
/// screen, mouse reporting off) and `stty -a` shows `icanon echo` — from bash, and from
/// `dash -c`, which restores nothing itself.
@Suite("signals to the TUI end to end (tmux)", .serialized)
struct SignalEndToEndTests {
  /// Signals whose default action ends the process: each ends the session normally, 128 + N.
  static let terminating: [(String, Int32)] = [
    ("QUIT", SIGQUIT), ("USR1", SIGUSR1), ("USR2", SIGUSR2), ("ALRM", SIGALRM), ("XCPU", SIGXCPU),
    ("XFSZ", SIGXFSZ), ("VTALRM", SIGVTALRM), ("PROF", SIGPROF), ("IO", SIGIO), ("PWR", SIGPWR),
    ("STKFLT", SIGSTKFLT), ("HUP", SIGHUP), ("TERM", SIGTERM),
  ]

  /// The pane's alternate-screen and mouse-reporting flags, as tmux tracks them.
  private func paneModes(_ tmux: Tmux) throws -> String {
    let result = try Tmux.execute([
      "tmux", "-L", tmux.server, "display-message", "-p", "alternate=#{alternate_on} mouse=#{mouse_any_flag}",
    ])
    return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The crpin process anywhere below the window's shell (under `dash -c` it is a grandchild).
  private func crpinPID(below tmux: Tmux) throws -> pid_t {
    let shell = try tmux.shellPID()
    let deadline = Date().addingTimeInterval(5)
    while Date() < deadline {
      var queue = [shell]
      while let parent = queue.popLast() {
        let children =
          (try? String(contentsOfFile: "/proc/\(parent)/task/\(parent)/children", encoding: .utf8)) ?? ""
        for pid in children.split(separator: " ").compactMap({ pid_t($0) }) {
          let name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
          if name.hasPrefix("crpin") { return pid }
          queue.append(pid)
        }
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
    throw Tmux.Failure(description: "no crpin process under the shell \(shell)")
  }

  @Test(
    "a terminating signal ends the session: exit 128+N, terminal restored",
    arguments: terminating.map(\.0))
  func terminatingSignal(name: String) throws {
    let number = try #require(Self.terminating.first { $0.0 == name }?.1)
    let app = try TUIRun()
    try app.tmux.keys("s")
    try app.tmux.waitFor("the SMI") { $0.contains("L1  SMM") }
    #expect(kill(try crpinPID(below: app.tmux), number) == 0)
    let (status, modes) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=\(128 + number)", "SIG\(name)")
    #expect(terminalIsCooked(modes), "SIG\(name): \(modes)")
    #expect(try paneModes(app.tmux) == "alternate=0 mouse=0", "SIG\(name)")
  }

  @Test(
    "SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE sent by kill: the terminal restored, then the default action",
    arguments: [("SEGV", SIGSEGV), ("ABRT", SIGABRT), ("BUS", SIGBUS), ("ILL", SIGILL), ("FPE", SIGFPE)])
  func crashSignal(name: String, number: Int32) throws {
    let app = try TUIRun(prefix: "ulimit -c 0;")
    #expect(kill(try crpinPID(below: app.tmux), number) == 0)
    let (status, modes) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=\(128 + number)", "SIG\(name)")
    #expect(terminalIsCooked(modes), "SIG\(name): \(modes)")
    #expect(try paneModes(app.tmux) == "alternate=0 mouse=0", "SIG\(name)")
    #expect(
      !(try app.tmux.capture()).contains("Program crashed"), "no backtrace banner for a signal sent by kill")
  }

  @Test(
    "started from `dash -c` (no job control, nothing restored by the shell): SIGUSR1 and SIGSEGV",
    arguments: [("USR1", SIGUSR1), ("SEGV", SIGSEGV)])
  func fromDash(name: String, number: Int32) throws {
    let binary = try CrpinBinary.require()
    let tmux = try Tmux()
    try tmux.type("cd /tmp; ulimit -c 0", enter: true)
    try tmux.type(
      #"dash -c "SWIFT_BACKTRACE=interactive=no TERM=xterm-256color '\#(binary)'; echo EXIT=\$?; stty -a""#,
      enter: true)
    try tmux.waitFor("CR4 0x")
    #expect(kill(try crpinPID(below: tmux), number) == 0)
    let screen = try tmux.waitFor("the exit line and stty output") {
      $0.contains("EXIT=") && $0.contains("icanon")
    }
    #expect(screen.contains("EXIT=\(128 + number)"), "SIG\(name): \(screen)")
    #expect(terminalIsCooked(screen), "SIG\(name): \(screen)")
    #expect(try paneModes(tmux) == "alternate=0 mouse=0")
  }

  @Test("SIGTTOU in the foreground suspends like Ctrl-Z: the shell's screen, sane modes; fg resumes")
  func stopSignal() throws {
    let app = try TUIRun(listed: false)
    let before = try app.tmux.capture()
    #expect(kill(try crpinPID(below: app.tmux), SIGTTOU) == 0)
    try app.tmux.waitFor("the shell's job report") { $0.contains("Stopped") }
    #expect(try paneModes(app.tmux) == "alternate=0 mouse=0")
    try app.tmux.type("stty -a", enter: true)
    let modes = try app.tmux.waitFor("stty output") { $0.contains("icanon") }
    #expect(terminalIsCooked(modes), "\(modes)")
    try app.tmux.type("fg", enter: true)
    try app.tmux.waitFor("the screen back") { $0 == before }
    try app.tmux.keys("q")
    try app.tmux.type("echo EXIT=$?", enter: true)
    try app.tmux.waitFor("EXIT=0")
  }
}
