import TUI
import Testing

@testable import CursesBackend

@Suite("Display scalars")
struct DisplayScalarTests {
  @Test("Control characters become question marks", arguments: [0x00, 0x09, 0x1B, 0x7F, 0x85])
  func controls(value: UInt32) {
    guard let scalar = Unicode.Scalar(value) else { return }
    #expect(displayScalar(scalar, unicode: true) == "?")
    #expect(displayScalar(scalar, unicode: false) == "?")
  }

  @Test("Unicode passes through when the locale can show it")
  func unicode() {
    for scalar in "a─│┌▲▼é".unicodeScalars {
      #expect(displayScalar(scalar, unicode: true) == scalar)
    }
  }

  @Test("Without Unicode, whatever the glyph set left outside ASCII becomes ?")
  func noUnicode() {
    #expect(displayScalar("é", unicode: false) == "?")
    #expect(displayScalar("a", unicode: false) == "a")
  }
}

@Suite("Glyph sets")
struct GlyphSetTests {
  @Test(
    "ASCII stand-ins: pins H/L, change markers like arrows, boxes in - | +",
    arguments: [
      ("─", "-"), ("│", "|"), ("╭", "+"), ("┤", "+"), ("▲", "H"), ("▼", "L"), ("↑", "^"), ("↓", "v"),
      ("↕", "~"), ("◆", "*"), ("◦", "o"), ("✓", "+"), ("✗", "x"), ("…", "."), ("é", "?"), ("a", "a"),
    ] as [(Unicode.Scalar, Unicode.Scalar)])
  func ascii(scalar: Unicode.Scalar, expected: Unicode.Scalar) {
    #expect(GlyphSet.ascii.scalar(for: scalar) == expected)
  }

  @Test("the Linux console: light corners, its own font's glyphs kept, the rest in ASCII")
  func linuxConsole() {
    let pairs: [(Unicode.Scalar, Unicode.Scalar)] = [
      ("╭", "┌"), ("╮", "┐"), ("╰", "└"), ("╯", "┘"), ("─", "─"), ("▲", "▲"), ("↑", "↑"), ("✓", "+"),
      ("◦", "o"), ("a", "a"),
    ]
    for (scalar, expected) in pairs { #expect(GlyphSet.linuxConsole.scalar(for: scalar) == expected) }
  }

  @Test("a grid redrawn in a glyph set keeps its roles; Unicode is the grid itself")
  func gridRedrawn() {
    var screen = Screen(width: 4, height: 1)
    screen.put("╭▲a", row: 0, column: 0, role: .pinned)
    let ascii = screen.drawn(with: .ascii)
    #expect(ascii.line(0) == "+Ha ")
    #expect(ascii[0, 1].role == .pinned)
    #expect(screen.drawn(with: .unicode) == screen)
    #expect(screen.drawn(with: .linuxConsole).line(0) == "┌▲a ")
  }
}
