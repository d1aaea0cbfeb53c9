import Engine
import Script
import TUI

/// Feeds events to a state and collects the effects.
struct Driver {
  var state: AppState
  var effects: [Effect] = []

  init(_ state: AppState = AppState()) { self.state = state }

  mutating func send(_ event: InputEvent) {
    effects += update(&state, event)
  }

  mutating func press(_ keys: Key...) {
    for key in keys { send(.key(key)) }
  }

  /// Draws the state, as the main loop does before waiting for input, and clicks the frame.
  mutating func click(row: Int, column: Int) {
    state.drawnBits = render(state, width: state.size.width, height: state.size.height).hitMap
    send(.click(row: row, column: column))
  }

  /// Types characters one key at a time.
  mutating func type(_ text: String) {
    for character in text { send(.key(.character(character))) }
  }

  /// Runs a script statement through the `:` prompt.
  mutating func command(_ text: String) {
    type(":")
    type(text)
    press(.enter)
  }

  /// Every line recorded so far (appends, and rewrites replacing what came before).
  var recorded: [String] {
    var lines: [String] = []
    for effect in effects {
      switch effect {
      case .record(let added): lines += added
      case .rewriteRecord(let all): lines = all
      case .quit, .interrupt, .runOnRealKVM: break
      }
    }
    return lines
  }

  func screen(_ width: Int = 100, _ height: Int = 30) -> Screen {
    view(state, width: width, height: height)
  }
}

/// Replays a transcript headless, as `crpin run` would.
func replay(_ lines: [String]) throws -> Session {
  var session = Session()
  for (offset, line) in lines.enumerated() {
    _ = try session.run(line: line, lineNumber: offset + 1)
  }
  return session
}
