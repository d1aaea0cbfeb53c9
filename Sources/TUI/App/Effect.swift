/// Something `update` asks the main loop to do in the outside world.
public enum Effect: Equatable, Sendable {
  /// Leave the TUI.
  case quit
  /// Leave the TUI as Ctrl-C does: exit status 130, as for SIGINT.
  case interrupt
  /// Append these lines to the `--record` file and flush them.
  case record([String])
  /// Replace the `--record` file with these lines (after undo, redo, a rewind or a scenario
  /// start), atomically.
  case rewriteRecord([String])
  /// Run these statements on the real vCPU too (`crpin tui --kvm`), then hand what they did
  /// back with `update(_:real:)`.
  case runOnRealKVM(RealKVMRequest)
}
