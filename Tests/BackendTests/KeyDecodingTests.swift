import CNCurses
import TUI
import Testing

@testable import CursesBackend

@Suite("Key decoding")
struct KeyDecodingTests {
  @Test(
    "Characters and control codes",
    arguments: [
      (UInt32(9), Key.tab), (10, .enter), (13, .enter), (27, .escape), (127, .backspace),
      (8, .backspace), (1, .control("a")), (18, .control("r")), (26, .control("z")),
      (0x61, .character("a")), (0x20, .character(" ")), (0x3F, .character("?")),
      (0xE9, .character("é")), (0x25B2, .character("▲")),
    ])
  func characters(code: UInt32, key: Key) {
    #expect(decodeKey(code, isFunctionKey: false) == key)
  }

  @Test("Codes without a key", arguments: [UInt32(0), 28, 31, 0x80, 0x9F, 0xD800, 0x11_0000])
  func ignoredCharacters(code: UInt32) {
    #expect(decodeKey(code, isFunctionKey: false) == nil)
  }

  @Test(
    "Curses key codes",
    arguments: [
      (KEY_UP, Key.up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right),
      (KEY_ENTER, .enter), (KEY_BACKSPACE, .backspace), (KEY_BTAB, .backTab), (KEY_DC, .delete),
      (KEY_HOME, .home), (KEY_END, .end), (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown),
      (crpin_key_f(1), .function(1)), (crpin_key_f(12), .function(12)),
      (crpin_key_f(63), .function(63)),
    ])
  func functionKeys(code: Int32, key: Key) {
    #expect(decodeKey(UInt32(code), isFunctionKey: true) == key)
  }

  @Test("Key codes without a key", arguments: [KEY_F0, KEY_F0 + 64, KEY_RESIZE, KEY_MOUSE, KEY_A1])
  func ignoredFunctionKeys(code: Int32) {
    #expect(decodeKey(UInt32(code), isFunctionKey: true) == nil)
  }

  @Test("A key code is not read as a character")
  func functionFlagMatters() {
    #expect(decodeKey(UInt32(KEY_UP), isFunctionKey: false) == .character("ă"))
    #expect(decodeKey(0x61, isFunctionKey: true) == nil)
  }

  @Test("Unknown escape sequences are recognised by their introducer")
  func escapeSequences() {
    #expect(EscapeSequence(introducer: 0x5B) == .controlSequence)
    #expect(EscapeSequence(introducer: 0x4F) == .singleShift)
    #expect(EscapeSequence(introducer: 0x61) == .alone)
    #expect(EscapeSequence.isFinal(0x7E))
    #expect(EscapeSequence.isFinal(0x41))
    #expect(!EscapeSequence.isFinal(0x31))
    #expect(!EscapeSequence.isFinal(0x3B))
  }

  @Test("Extra key sequences are escape sequences for keys we decode")
  func extraSequences() {
    for (sequence, code) in extraKeySequences {
      #expect(sequence.hasPrefix("\u{1B}"))
      #expect(decodeKey(UInt32(code), isFunctionKey: true) != nil)
    }
  }
}
