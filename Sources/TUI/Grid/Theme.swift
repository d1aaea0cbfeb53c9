/// The eight basic terminal colours, plus the terminal's default.
public enum TerminalColor: Int16, Sendable {
  case `default` = -1
  case black = 0, red, green, yellow, blue, magenta, cyan, white
}

/// Whether the terminal's background is dark or light: which variant of a colour theme to use.
public enum Background: String, CaseIterable, Sendable {
  case dark, light
}

/// How one role looks: colours when the terminal has them, and attributes that carry the
/// meaning on their own in monochrome.
public struct Appearance: Equatable, Sendable {
  /// Foreground colour (ignored in monochrome).
  public var foreground: TerminalColor
  /// Background colour (ignored in monochrome).
  public var background: TerminalColor
  /// A 256-colour foreground index, preferred over `foreground` when the terminal has 256.
  public var foreground256: Int16?
  /// A 256-colour background index, preferred over `background` when the terminal has 256.
  public var background256: Int16?
  public var bold: Bool
  public var reverse: Bool
  public var underline: Bool
  /// Faint text. On a 256-colour terminal a role with an extended foreground is drawn without
  /// it: the colour already says it, and faint looks different in every terminal.
  public var dim: Bool

  /// An appearance with the given colours and attributes.
  public init(
    _ foreground: TerminalColor = .default, on background: TerminalColor = .default,
    foreground256: Int16? = nil, background256: Int16? = nil,
    bold: Bool = false, reverse: Bool = false, underline: Bool = false, dim: Bool = false
  ) {
    self.foreground = foreground
    self.background = background
    self.foreground256 = foreground256
    self.background256 = background256
    self.bold = bold
    self.reverse = reverse
    self.underline = underline
    self.dim = dim
  }
}

/// A theme's name, as `--theme` spells it (both variants of a theme share it).
public enum ThemeName: String, CaseIterable, Sendable {
  /// The colour theme.
  case color
  /// The monochrome theme.
  case mono
  /// The projector theme.
  case projector
}

/// A table from role to appearance.
public struct Theme: Sendable {
  /// The theme's name, as `--theme` spells it (both variants of a theme share it).
  public let name: ThemeName
  /// The background the theme is made for: the terminal's own (assumed dark or light), or the
  /// one it paints itself when `paintsBackground`.
  public let background: Background
  /// Whether every role sets its own background colour, so the theme does not depend on the
  /// terminal's (the projector variants).
  public let paintsBackground: Bool
  /// Whether the theme uses colour at all.
  public let usesColor: Bool
  private let table: [Appearance]

  /// A theme from a lookup function evaluated once per role.
  public init(
    name: ThemeName, background: Background = .dark, paintsBackground: Bool = false, usesColor: Bool,
    appearance: (Role) -> Appearance
  ) {
    self.name = name
    self.background = background
    self.paintsBackground = paintsBackground
    self.usesColor = usesColor
    table = Role.allCases.map(appearance)
  }

  /// How `role` looks under this theme.
  public subscript(role: Role) -> Appearance { table[Int(role.rawValue)] }

  /// The same theme made for `background`: the light or dark variant of the colour and
  /// projector themes; monochrome (and any other theme) is its own.
  public func variant(for background: Background) -> Theme {
    switch (name, background) {
    case (.color, .dark): .color
    case (.color, .light): .colorLight
    case (.projector, .dark): .projector
    case (.projector, .light): .projectorLight
    case (.mono, _): self
    }
  }

  /// Every theme and variant, for tests and documentation.
  public static let all: [Theme] = [.color, .colorLight, .projector, .projectorLight, .monochrome]
}

extension Theme {
  /// Colour theme for 8- and 256-colour terminals with a dark background (the default): the
  /// terminal's own background and text colour, colours chosen to read on black and on dark
  /// greys.
  public static let color = Theme(name: .color, background: .dark, usesColor: true) { role in
    switch role {
    case .normal, .bitClear: Appearance()
    case .dim: Appearance(foreground256: 245, dim: true)
    case .border: Appearance(.blue, foreground256: 67)
    case .title: Appearance(.cyan, foreground256: 117, bold: true)
    case .bitSet: Appearance(.green, foreground256: 114, bold: true)
    case .pinned: Appearance(.yellow, foreground256: 220, bold: true)
    case .cursor: Appearance(reverse: true)
    case .cursorAlarm:
      Appearance(.white, on: .red, foreground256: 231, background256: 124, bold: true, underline: true)
    case .alarm: Appearance(.red, foreground256: 210, bold: true)
    case .rule: Appearance(.red, foreground256: 224, bold: true)
    case .success: Appearance(.green, foreground256: 114)
    case .warning: Appearance(.yellow, foreground256: 214)
    case .statusBar: Appearance(.black, on: .cyan)
    case .key: Appearance(.yellow, foreground256: 228, bold: true)
    case .changed: Appearance(.magenta, foreground256: 213, bold: true)
    case .held: Appearance(.green, foreground256: 114, bold: true)
    case .lost: Appearance(.red, foreground256: 210, bold: true, underline: true)
    }
  }

  /// The colour theme for a light background (`--background light`, or detected): the
  /// terminal's own background and text colour, dark saturated colours that read on white and
  /// light greys (no yellow key hints, which vanish there).
  public static let colorLight = Theme(name: .color, background: .light, usesColor: true) { role in
    switch role {
    case .normal, .bitClear: Appearance()
    case .dim: Appearance(foreground256: 241, dim: true)
    case .border: Appearance(.blue, foreground256: 25)
    case .title: Appearance(.blue, foreground256: 24, bold: true)
    case .bitSet: Appearance(.green, foreground256: 22, bold: true)
    case .pinned: Appearance(.magenta, foreground256: 94, bold: true)
    case .cursor: Appearance(reverse: true)
    case .cursorAlarm:
      Appearance(.white, on: .red, foreground256: 231, background256: 124, bold: true, underline: true)
    case .alarm: Appearance(.red, foreground256: 124, bold: true)
    case .rule: Appearance(.red, foreground256: 88, bold: true)
    case .success: Appearance(.green, foreground256: 22)
    case .warning: Appearance(.magenta, foreground256: 58)
    case .statusBar: Appearance(.black, on: .cyan)
    case .key: Appearance(.blue, foreground256: 19, bold: true)
    case .changed: Appearance(.magenta, foreground256: 90, bold: true)
    case .held: Appearance(.green, foreground256: 22, bold: true)
    case .lost: Appearance(.red, foreground256: 124, bold: true, underline: true)
    }
  }

  /// Monochrome theme (`NO_COLOR`, or a terminal without colours): meaning carried by
  /// bold, reverse, underline and dim, alongside the symbols the view always draws.
  public static let monochrome = Theme(name: .mono, usesColor: false) { role in
    switch role {
    case .normal, .bitClear: Appearance()
    case .dim, .border: Appearance(dim: true)
    case .title, .bitSet, .key, .rule: Appearance(bold: true)
    case .pinned: Appearance(bold: true, underline: true)
    case .cursor: Appearance(reverse: true)
    case .cursorAlarm: Appearance(bold: true, reverse: true, underline: true)
    // Not the pinned look: a #GP in the log and a pinned mask must not read alike.
    case .alarm: Appearance(bold: true, reverse: true)
    case .success, .held: Appearance()
    case .warning: Appearance(underline: true)
    case .statusBar: Appearance(reverse: true)
    case .changed: Appearance(bold: true)
    case .lost: Appearance(bold: true, underline: true)
    }
  }

  /// Projector theme (`--theme projector`) for a dark room: high contrast for the back of a
  /// room — bright bold text on a black background the theme paints itself (so a light
  /// terminal does not matter), no dim text (it washes out on a projector), alarms in white on
  /// red.
  public static let projector = Theme(
    name: .projector, background: .dark, paintsBackground: true, usesColor: true
  ) { role in
    func on(_ color: TerminalColor, _ extended: Int16, bold: Bool = true, underline: Bool = false)
      -> Appearance
    {
      Appearance(
        color, on: .black, foreground256: extended, background256: 16, bold: bold, underline: underline)
    }
    return switch role {
    case .normal, .bitClear: on(.white, 231)
    case .dim: on(.white, 250, bold: false)
    case .border, .title: on(.cyan, 51)
    case .bitSet, .success, .held: on(.green, 46)
    case .pinned: on(.yellow, 226, underline: true)
    case .cursor, .statusBar:
      Appearance(.black, on: .white, foreground256: 16, background256: 231, bold: true)
    case .cursorAlarm:
      Appearance(.white, on: .red, foreground256: 231, background256: 124, bold: true, underline: true)
    case .alarm: Appearance(.white, on: .red, foreground256: 231, background256: 124, bold: true)
    case .rule: on(.red, 224)
    case .warning, .key: on(.yellow, 226)
    case .changed: on(.magenta, 213)
    case .lost: on(.red, 210, underline: true)
    }
  }

  /// Projector theme for a light terminal or a bright room: black bold text on a white
  /// background the theme paints itself, dark saturated colours, alarms in white on red.
  public static let projectorLight = Theme(
    name: .projector, background: .light, paintsBackground: true, usesColor: true
  ) { role in
    func on(_ color: TerminalColor, _ extended: Int16, bold: Bool = true, underline: Bool = false)
      -> Appearance
    {
      Appearance(
        color, on: .white, foreground256: extended, background256: 231, bold: bold, underline: underline)
    }
    return switch role {
    case .normal, .bitClear: on(.black, 16)
    case .dim: on(.black, 240, bold: false)
    case .border, .title: on(.blue, 19)
    case .bitSet, .success, .held: on(.green, 22)
    case .pinned: on(.magenta, 94, underline: true)
    case .cursor, .statusBar:
      Appearance(.white, on: .black, foreground256: 231, background256: 16, bold: true)
    case .cursorAlarm:
      Appearance(.white, on: .red, foreground256: 231, background256: 124, bold: true, underline: true)
    case .alarm: Appearance(.white, on: .red, foreground256: 231, background256: 124, bold: true)
    case .rule: on(.red, 88)
    case .warning: on(.magenta, 58)
    case .key: on(.blue, 18)
    case .changed: on(.magenta, 90)
    case .lost: on(.red, 124, underline: true)
    }
  }

  /// The theme `--theme` names, in its dark variant: `color` (also `normal`), `mono` (also
  /// `monochrome`) or `projector`; `nil` for anything else. `variant(for:)` gives the light one.
  public static func named(_ name: String) -> Theme? {
    switch name.lowercased() {
    case "color", "colour", "normal": .color
    case "mono", "monochrome": .monochrome
    case "projector": .projector
    default: nil
    }
  }
}
