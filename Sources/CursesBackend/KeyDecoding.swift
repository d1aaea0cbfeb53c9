import CNCurses
import TUI

/// The key for what `get_wch` returned: `code` is a curses key code (`KEY_UP`...) when
/// `isFunctionKey`, else a character. Nil for codes the TUI has no use for.
///
/// Ctrl-H (8) counts as backspace, since many terminals send it for that key.
func decodeKey(_ code: UInt32, isFunctionKey: Bool) -> Key? {
  isFunctionKey ? decodeFunctionKey(code) : decodeCharacter(code)
}

private func decodeCharacter(_ code: UInt32) -> Key? {
  switch code {
  case 9: return .tab
  case 10, 13: return .enter
  case 27: return .escape
  case 8, 127: return .backspace
  case 1...26:
    guard let letter = Unicode.Scalar(code + 96) else { return nil }
    return .control(Character(letter))
  case 0..<32, 128..<160: return nil
  default:
    guard let scalar = Unicode.Scalar(code) else { return nil }
    return .character(Character(scalar))
  }
}

private func decodeFunctionKey(_ code: UInt32) -> Key? {
  guard code <= UInt32(Int32.max) else { return nil }
  let key = Int32(code)
  switch key {
  case KEY_UP: return .up
  case KEY_DOWN: return .down
  case KEY_LEFT: return .left
  case KEY_RIGHT: return .right
  case KEY_ENTER: return .enter
  case KEY_BACKSPACE: return .backspace
  case KEY_BTAB: return .backTab
  case KEY_DC: return .delete
  case KEY_HOME: return .home
  case KEY_END: return .end
  case KEY_PPAGE: return .pageUp
  case KEY_NPAGE: return .pageDown
  case (KEY_F0 + 1)...(KEY_F0 + 63): return .function(Int(key - KEY_F0))
  default: return nil
  }
}

/// Sequences common terminals send that the terminfo entry in use may not list (tmux sends
/// `ESC [ 1 ~` for Home even when `TERM` says xterm): taught to curses with `define_key`.
let extraKeySequences: [(sequence: String, code: Int32)] = [
  ("\u{1B}[1~", KEY_HOME), ("\u{1B}[7~", KEY_HOME), ("\u{1B}[H", KEY_HOME), ("\u{1B}OH", KEY_HOME),
  ("\u{1B}[4~", KEY_END), ("\u{1B}[8~", KEY_END), ("\u{1B}[F", KEY_END), ("\u{1B}OF", KEY_END),
  ("\u{1B}[A", KEY_UP), ("\u{1B}[B", KEY_DOWN), ("\u{1B}[C", KEY_RIGHT), ("\u{1B}[D", KEY_LEFT),
  ("\u{1B}OA", KEY_UP), ("\u{1B}OB", KEY_DOWN), ("\u{1B}OC", KEY_RIGHT), ("\u{1B}OD", KEY_LEFT),
  ("\u{1B}[3~", KEY_DC), ("\u{1B}[5~", KEY_PPAGE), ("\u{1B}[6~", KEY_NPAGE), ("\u{1B}[Z", KEY_BTAB),
]

/// How the bytes after an ESC that curses did not recognise continue an escape sequence.
enum EscapeSequence {
  /// The sequence ends at the first character in `@`...`~` after the introducer.
  case controlSequence
  /// The sequence is one more character.
  case singleShift
  /// Not a sequence: Escape, then this key (a quick Esc then a key, or Alt plus a key).
  case alone

  /// The kind of sequence introduced by `ESC` followed by `code`.
  init(introducer code: UInt32) {
    switch code {
    case 0x5B: self = .controlSequence  // [
    case 0x4F: self = .singleShift  // O
    default: self = .alone
    }
  }

  /// Whether `code` ends a control sequence (a final byte).
  static func isFinal(_ code: UInt32) -> Bool { (0x40...0x7E).contains(code) }
}
