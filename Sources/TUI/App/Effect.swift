/// Something `update` asks the main loop to do in the outside world.
public enum Effect: Equatable, Sendable {
  /// Leave the TUI.
  case quit
  /// Append these lines to the `--record` file and flush them.
  case record([String])
  /// Replace the `--record` file with these lines (after undo, redo, a rewind or a scenario
  /// start), atomically.
  case rewriteRecord([String])
}
