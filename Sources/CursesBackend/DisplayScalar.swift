/// The scalar to put on the terminal for a cell's `scalar` (already in the session's glyph
/// set): control characters (which curses would spell as `^X`, two columns) become `?`, and so
/// does anything outside ASCII when the locale cannot show Unicode (`unicode` false).
func displayScalar(_ scalar: Unicode.Scalar, unicode: Bool) -> Unicode.Scalar {
  switch scalar.value {
  case 0..<0x20, 0x7F..<0xA0: return "?"
  case 0x20..<0x7F: return scalar
  default: return unicode ? scalar : "?"
  }
}
