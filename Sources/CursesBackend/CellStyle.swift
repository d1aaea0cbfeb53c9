import TUI

/// The attributes a cell can carry, independent of curses' bit layout.
struct CellAttributes: OptionSet, Hashable {
  let rawValue: UInt8
  static let bold = CellAttributes(rawValue: 1 << 0)
  static let reverse = CellAttributes(rawValue: 1 << 1)
  static let underline = CellAttributes(rawValue: 1 << 2)
  static let dim = CellAttributes(rawValue: 1 << 3)
}

/// What the terminal can show.
enum Palette: Equatable {
  /// No colours: attributes only.
  case monochrome
  /// `count` colours (8, 16, 256...); `defaultColors` when the terminal's own default
  /// foreground and background can be used (`use_default_colors` succeeded).
  case colors(count: Int, defaultColors: Bool)
}

/// How one role is drawn: attributes, and the colour pair's colours (nil: no colour).
struct CellStyle: Equatable {
  var attributes: CellAttributes
  var foreground: Int16?
  var background: Int16?

  /// Whether the style needs a colour pair of its own.
  var usesColor: Bool { foreground != nil }
}

/// The style for `appearance` on `palette`: the 256-colour foreground and background when the
/// palette has 256 colours (and then no dim attribute over an extended foreground: the colour
/// is the dimming), the basic colours otherwise; the terminal default becomes white on black
/// when default colours are unavailable.
func cellStyle(for appearance: Appearance, on palette: Palette) -> CellStyle {
  var attributes: CellAttributes = []
  if appearance.bold { attributes.insert(.bold) }
  if appearance.reverse { attributes.insert(.reverse) }
  if appearance.underline { attributes.insert(.underline) }
  if appearance.dim { attributes.insert(.dim) }
  guard case .colors(let count, let defaultColors) = palette else {
    return CellStyle(attributes: attributes, foreground: nil, background: nil)
  }
  var foreground = appearance.foreground.rawValue
  if count >= 256, let extended = appearance.foreground256, extended >= 0, Int(extended) < count {
    foreground = extended
    attributes.remove(.dim)
  }
  var background = appearance.background.rawValue
  if count >= 256, let extended = appearance.background256, extended >= 0, Int(extended) < count {
    background = extended
  }
  if !defaultColors {
    if foreground < 0 { foreground = TerminalColor.white.rawValue }
    if background < 0 { background = TerminalColor.black.rawValue }
  }
  return CellStyle(attributes: attributes, foreground: foreground, background: background)
}

/// The theme a session uses: monochrome when `NO_COLOR` is set to anything non-empty, when
/// colour is refused, or when the terminal has none (whatever the background); otherwise
/// `colorTheme`'s variant for `background`.
func chooseTheme(
  preference: ColorPreference, noColorVariable: String?, terminalHasColors: Bool,
  colorTheme: Theme = .color, background: Background = .dark
) -> Theme {
  let noColor = !(noColorVariable ?? "").isEmpty
  if noColor || preference == .never || !terminalHasColors { return .monochrome }
  return colorTheme.variant(for: background)
}
