/// The script that rebuilds the TUI's state: `vcpus N` when there is more than one vCPU, then
/// every statement run, with `vcpu N` lines where the acting vCPU changes. `crpin run` on it
/// ends in the state shown.
public struct Transcript: Equatable, Sendable {
  /// The lines, in order.
  public private(set) var lines: [String]
  /// How many leading lines set the VM up (not actions a user would lose).
  public private(set) var headerCount: Int

  /// A transcript that starts with the set-up lines `header`.
  public init(header: [String] = []) {
    lines = header
    headerCount = header.count
  }

  /// A transcript of `lines`, the first `headerCount` of them set-up.
  init(lines: [String], headerCount: Int) {
    self.lines = lines
    self.headerCount = min(headerCount, lines.count)
  }

  /// The whole transcript as file contents.
  public var text: String { lines.map { $0 + "\n" }.joined() }
}
