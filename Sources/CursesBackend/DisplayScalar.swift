/// The scalar to put on the terminal for a cell's `scalar`: control characters (which curses
/// would spell as `^X`, two columns) become `?`; when the locale cannot show Unicode
/// (`unicode` false), line drawing and arrows fall back to ASCII look-alikes and anything
/// else outside ASCII becomes `?`.
func displayScalar(_ scalar: Unicode.Scalar, unicode: Bool) -> Unicode.Scalar {
  switch scalar.value {
  case 0..<0x20, 0x7F..<0xA0: return "?"
  case 0x20..<0x7F: return scalar
  default: break
  }
  guard !unicode else { return scalar }
  switch scalar.value {
  case 0x2500, 0x2501, 0x2504, 0x2505, 0x2508, 0x2509, 0x254C, 0x254D, 0x2550: return "-"
  case 0x2502, 0x2503, 0x2506, 0x2507, 0x250A, 0x250B, 0x254E, 0x254F, 0x2551: return "|"
  case 0x2500...0x257F: return "+"
  case 0x25B2, 0x25B4: return "^"
  case 0x25BC, 0x25BE: return "v"
  case 0x25B6, 0x25B8, 0x25BA, 0x2192: return ">"
  case 0x25C0, 0x25C2, 0x25C4, 0x2190: return "<"
  case 0x2191: return "^"
  case 0x2193: return "v"
  case 0x2022, 0x00B7, 0x25CF: return "*"
  case 0x2026: return "."
  default: return "?"
  }
}
