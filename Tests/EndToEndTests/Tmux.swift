import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A private tmux server with one window running `bash --norc`, for driving the real binary the
/// way a user does: keys in with `send-keys`, screen out with `capture-pane`.
final class Tmux {
  /// Why a tmux session could not be used.
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  let server = "crpin-e2e-\(UInt32.random(in: 0...UInt32.max))"
  private let target = "e2e"

  /// Starts the server with a `width` x `height` window running a shell.
  init(width: Int = 100, height: Int = 30) throws {
    guard Self.available else {
      throw Failure(description: "tmux is not installed: the end-to-end tests need it (apt-get install tmux)")
    }
    // The server forks from this command and keeps its standard streams: no pipes here, or
    // reading them would wait for the server to exit.
    try run(
      [
        "new-session", "-d", "-s", target, "-x", "\(width)", "-y", "\(height)",
        "env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 TERM=xterm-256color bash --norc --noprofile",
      ], detached: true)
    try run(["set-option", "-t", target, "window-size", "manual"], allowFailure: true)
  }

  deinit {
    _ = try? run(["kill-server"], allowFailure: true)
    let directory = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
    unlink("\(directory)/tmux-\(getuid())/\(server)")
  }

  /// Whether a tmux binary can be run.
  static var available: Bool {
    (try? Self.execute(["tmux", "-V"]).status) == 0
  }

  /// Types `text` literally, then Enter if asked.
  func type(_ text: String, enter: Bool = false) throws {
    try run(["send-keys", "-t", target, "-l", text])
    if enter { try keys("Enter") }
  }

  /// Sends tmux key names (`Space`, `Escape`, `C-c`, `Up`).
  func keys(_ names: String...) throws {
    try run(["send-keys", "-t", target] + names)
  }

  /// Resizes the window (the app gets KEY_RESIZE).
  func resize(width: Int, height: Int) throws {
    try run(["resize-window", "-t", target, "-x", "\(width)", "-y", "\(height)"])
  }

  /// Types `text` exactly as given, control characters and escape sequences included (each
  /// character is one key; `--` keeps a leading `-` from being read as an option).
  func send(literal text: String) throws {
    try run(["send-keys", "-t", target, "-l", "--", text])
  }

  /// The process id of the shell in the window.
  func shellPID() throws -> pid_t {
    let text = try run(["display-message", "-p", "-t", target, "#{pane_pid}"])
    guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
      throw Failure(description: "tmux gave no pane pid: \(text)")
    }
    return pid
  }

  /// Kills the server, closing the window's terminal under whatever runs in it.
  func killServer() throws {
    try run(["kill-server"])
  }

  /// The visible screen as text.
  func capture() throws -> String {
    try run(["capture-pane", "-p", "-t", target])
  }

  /// The visible screen with each cell's colours and attributes as SGR escape sequences.
  func captureStyled() throws -> String {
    try run(["capture-pane", "-p", "-e", "-t", target])
  }

  /// Polls the screen until `predicate` holds on a settled screen, or fails after `timeout`
  /// seconds with the screen.
  ///
  /// A screen is settled when two captures 50 ms apart are the same: tmux can be captured
  /// between two writes of one redraw, and CI once saw the compare pane's title and first rows
  /// over the rest of the screen before it. A screen that keeps changing while the predicate
  /// holds (a spinner) is taken after a second.
  @discardableResult
  func waitFor(
    _ description: String, timeout: Double = 10, sourceLocation: SourceLocation = #_sourceLocation,
    _ predicate: (String) -> Bool
  ) throws -> String {
    let deadline = Date().addingTimeInterval(timeout)
    var screen = ""
    var settleBy: Date?
    while Date() < deadline {
      let next = try capture()
      if predicate(next) {
        if next == screen || settleBy.map({ Date() >= $0 }) == true { return next }
        settleBy = settleBy ?? Date().addingTimeInterval(1)
      } else {
        settleBy = nil
      }
      screen = next
      Thread.sleep(forTimeInterval: 0.05)
    }
    Issue.record(
      "timed out waiting for \(description); the screen was:\n\(screen)", sourceLocation: sourceLocation)
    throw Failure(description: "timed out waiting for \(description)")
  }

  /// Waits until the shell has printed a command's status: a line that starts with `EXIT=` and a
  /// digit (the typed command line holds `EXIT=` too, wherever the window wraps it).
  @discardableResult
  func waitForExitStatus(timeout: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> String
  {
    try waitFor("the exit status", timeout: timeout, sourceLocation: sourceLocation) { screen in
      screen.split(separator: "\n").contains {
        $0.hasPrefix("EXIT=") && $0.dropFirst(5).first?.isNumber == true
      }
    }
  }

  /// Waits until the screen contains `text`.
  @discardableResult
  func waitFor(_ text: String, timeout: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> String
  {
    try waitFor("\"\(text)\"", timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
  }

  @discardableResult
  private func run(_ arguments: [String], allowFailure: Bool = false, detached: Bool = false) throws
    -> String
  {
    let result = try Self.execute(["tmux", "-L", server] + arguments, detached: detached)
    if result.status != 0, !allowFailure {
      throw Failure(description: "tmux \(arguments.joined(separator: " ")) failed: \(result.error)")
    }
    return result.output
  }

  /// Runs a program found on PATH and waits for it; its status, standard output and standard
  /// error. Output goes through temporary files, not pipes: a daemon the program leaves behind
  /// (the tmux server) would keep a pipe open for ever. With `detached`, output is discarded.
  static func execute(
    _ arguments: [String], environment: [String: String]? = nil, detached: Bool = false
  ) throws -> (status: Int32, output: String, error: String) {
    let directory = FileManager.default.temporaryDirectory
    let outURL = directory.appendingPathComponent("crpin-e2e-\(UUID().uuidString).out")
    let errURL = directory.appendingPathComponent("crpin-e2e-\(UUID().uuidString).err")
    defer {
      try? FileManager.default.removeItem(at: outURL)
      try? FileManager.default.removeItem(at: errURL)
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(
      &actions, 1, detached ? "/dev/null" : outURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(
      &actions, 2, detached ? "/dev/null" : errURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
    let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup($0) } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    // The test runner's threads block signals, and a spawned child inherits the mask: unblock
    // everything and restore default handlers, or the app under test never sees SIGINT or
    // SIGWINCH.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var all = sigset_t()
    sigfillset(&all)
    sigdelset(&all, SIGKILL)
    sigdelset(&all, SIGSTOP)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, envp)
    guard spawned == 0 else {
      throw Failure(description: "cannot run \(arguments.joined(separator: " ")): error \(spawned)")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    let output = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    let error = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    return (exitStatus, output, error)
  }
}
