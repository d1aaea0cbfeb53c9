/// A key the TUI understands, decoded by the backend from whatever the terminal sent.
public enum Key: Equatable, Hashable, Sendable {
  /// A printable character.
  case character(Character)
  /// Ctrl plus a letter, lower-case (`.control("r")` is Ctrl-R).
  case control(Character)
  case up, down, left, right
  case enter, escape, backspace, tab, backTab, delete
  case home, end, pageUp, pageDown
  /// A function key, F1 = 1.
  case function(Int)
}

/// Something that happened at the terminal.
public enum InputEvent: Equatable, Sendable {
  /// A key press.
  case key(Key)
  /// A mouse button press at a screen cell.
  case click(row: Int, column: Int)
  /// The mouse wheel turned (negative = up).
  case scroll(row: Int, column: Int, delta: Int)
  /// The terminal now has this many columns and rows.
  case resize(width: Int, height: Int)
}
