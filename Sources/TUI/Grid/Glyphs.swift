/// Which characters the terminal can show: the backend redraws a grid in the glyph set the
/// terminal has, so the views always draw their Unicode glyphs and never check.
///
/// Every non-ASCII glyph a view draws is in DejaVu Sans Mono and Menlo, and all but the
/// rounded box corners, ✓, ✗, ◆, ▸ and ▶ are in WGL4 (so in Consolas and Liberation Mono too);
/// each has an ASCII stand-in in `Glyphs.ascii`.
public enum GlyphSet: Sendable, Equatable {
  /// Everything as drawn.
  case unicode
  /// The Linux console (`TERM=linux`): its font has the light box corners but not the rounded
  /// ones, and little beyond code page 437, so the rest falls back to ASCII.
  case linuxConsole
  /// ASCII only: a locale that is not UTF-8, or `--ascii`.
  case ascii

  /// The scalar to show for `scalar` in this glyph set: itself when the set has it, else its
  /// stand-in, else `?`.
  public func scalar(for scalar: Unicode.Scalar) -> Unicode.Scalar {
    guard !scalar.isASCII else { return scalar }
    switch self {
    case .unicode: return scalar
    case .linuxConsole:
      if let light = Glyphs.lightCorners[scalar] { return light }
      if Glyphs.consoleFont.contains(scalar) { return scalar }
      return Glyphs.ascii[scalar] ?? "?"
    case .ascii: return Glyphs.ascii[scalar] ?? "?"
    }
  }
}

/// The tables behind `GlyphSet`.
public enum Glyphs {
  /// An ASCII stand-in for every non-ASCII glyph the views draw, and for the punctuation the
  /// rule texts and lessons use. Pinned ▲ ▼ become H and L (the pin keys), so they stay apart
  /// from the change markers ↑ ↓, which become ^ and v like the arrow keys.
  public static let ascii: [Unicode.Scalar: Unicode.Scalar] = [
    // Box drawing.
    "─": "-", "│": "|", "├": "+", "┤": "+", "┌": "+", "┐": "+", "└": "+", "┘": "+",
    "╭": "+", "╮": "+", "╰": "+", "╯": "+",
    // Pins, change markers, the register panel's symbols.
    "▲": "H", "▼": "L", "↑": "^", "↓": "v", "↕": "~", "◆": "*", "◦": "o", "·": ".",
    // Arrows, pointers, verdicts.
    "→": ">", "←": "<", "↔": "=", "▸": ">", "▶": ">", "►": ">", "◄": "<", "●": "*",
    "✓": "+", "✗": "x",
    // Punctuation in rule texts and lessons.
    "—": "-", "–": "-", "…": ".", "§": "S",
  ]

  /// The rounded corners and their light counterparts.
  public static let lightCorners: [Unicode.Scalar: Unicode.Scalar] = [
    "╭": "┌", "╮": "┐", "╰": "└", "╯": "┘",
  ]

  /// The glyphs of `ascii` that the Linux console's fonts (code page 437 and its successors)
  /// have.
  public static let consoleFont: Set<Unicode.Scalar> = [
    "─", "│", "├", "┤", "┌", "┐", "└", "┘", "▲", "▼", "↑", "↓", "↕", "→", "←", "↔", "►", "◄",
    "·", "§",
  ]
}

extension Screen {
  /// The grid with every scalar replaced by what `glyphs` shows for it (roles kept).
  public func drawn(with glyphs: GlyphSet) -> Screen {
    guard glyphs != .unicode else { return self }
    var copy = self
    for row in 0..<height {
      for column in 0..<width where !self[row, column].scalar.isASCII {
        copy[row, column].scalar = glyphs.scalar(for: self[row, column].scalar)
      }
    }
    return copy
  }
}
