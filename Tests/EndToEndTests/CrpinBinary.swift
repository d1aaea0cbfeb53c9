import Foundation
import Testing

/// The crpin binary the end-to-end tests drive: `$CRPIN_BINARY`, or `.build/debug/crpin` in the
/// package (build it first: `swift build`).
enum CrpinBinary {
  static var packageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  static var path: String {
    if let override = ProcessInfo.processInfo.environment["CRPIN_BINARY"], !override.isEmpty {
      return override
    }
    return packageRoot.appendingPathComponent(".build/debug/crpin").path
  }

  /// The path, or a test failure saying how to build it.
  static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    guard FileManager.default.isExecutableFile(atPath: path) else {
      Issue.record(
        "no crpin binary at \(path): run `swift build` first (or set CRPIN_BINARY)",
        sourceLocation: sourceLocation)
      throw Tmux.Failure(description: "crpin binary missing")
    }
    return path
  }
}

/// A crpin TUI in a private tmux window, started from a shell: as one list with `echo EXIT=$?;
/// stty -a` after it, so its exit status and the terminal modes it left behind can be checked,
/// or (`listed: false`) alone, so job control can stop and resume it.
struct TUIRun {
  let tmux: Tmux

  /// Starts `crpin tui` with `arguments` after the shell commands `prefix`, and waits for the
  /// register panel.
  init(
    width: Int = 100, height: Int = 30, prefix: String = "", arguments: String = "", listed: Bool = true
  ) throws {
    let binary = try CrpinBinary.require()
    tmux = try Tmux(width: width, height: height)
    let run = "SWIFT_BACKTRACE=interactive=no TERM=xterm-256color '\(binary)' \(arguments)"
    try tmux.type("cd /tmp; \(prefix)", enter: true)
    try tmux.type(listed ? "\(run); echo \"EXIT=$?\"; stty -a" : run, enter: true)
    try tmux.waitFor("CR4 0x")
  }

  /// After the app has quit: its exit status, and the `stty -a` output that followed.
  func exitAndTerminalModes() throws -> (status: String, modes: String) {
    let screen = try tmux.waitFor("the exit line and stty output") {
      $0.contains("EXIT=") && $0.contains("icanon")
    }
    let status = screen.components(separatedBy: "\n").first { $0.hasPrefix("EXIT=") } ?? ""
    return (status, screen)
  }
}

/// Whether `stty -a` output shows canonical mode and echo on, and NOFLSH off again (the TUI sets
/// it while it runs).
func terminalIsCooked(_ stty: String) -> Bool {
  let words = Set(stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
  return words.contains("icanon") && words.contains("echo") && !words.contains("-icanon")
    && words.contains("-noflsh")
    && !words.contains("-echo")
}
