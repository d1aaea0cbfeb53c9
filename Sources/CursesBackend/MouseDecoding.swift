import CNCurses
import TUI

/// The event for a curses mouse report: button 1 pressed or clicked is a click, buttons 4
/// and 5 are the wheel (up is -1, down +1). Nil for anything else (releases, other buttons).
func decodeMouse(state: mmask_t, row: Int, column: Int) -> InputEvent? {
  if state & (crpin_button1_pressed() | crpin_button1_clicked()) != 0 {
    return .click(row: row, column: column)
  }
  if state & crpin_button4_pressed() != 0 { return .scroll(row: row, column: column, delta: -1) }
  if state & crpin_button5_pressed() != 0 { return .scroll(row: row, column: column, delta: 1) }
  return nil
}

/// The mouse events the session asks the terminal for.
func wantedMouseEvents() -> mmask_t {
  crpin_button1_pressed() | crpin_button1_clicked() | crpin_button4_pressed()
    | crpin_button5_pressed()
}
