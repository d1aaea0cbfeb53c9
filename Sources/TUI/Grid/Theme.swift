/// The eight basic terminal colours, plus the terminal's default.
public enum TerminalColor: Int16, Sendable {
  case `default` = -1
  case black = 0, red, green, yellow, blue, magenta, cyan, white
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
  public var bold: Bool
  public var reverse: Bool
  public var underline: Bool
  public var dim: Bool

  /// An appearance with the given colours and attributes.
  public init(
    _ foreground: TerminalColor = .default, on background: TerminalColor = .default,
    foreground256: Int16? = nil,
    bold: Bool = false, reverse: Bool = false, underline: Bool = false, dim: Bool = false
  ) {
    self.foreground = foreground
    self.background = background
    self.foreground256 = foreground256
    self.bold = bold
    self.reverse = reverse
    self.underline = underline
    self.dim = dim
  }
}

/// A table from role to appearance.
public struct Theme: Sendable {
  /// The theme's name, as `--theme` spells it.
  public let name: String
  /// Whether the theme uses colour at all.
  public let usesColor: Bool
  private let table: [Appearance]

  /// A theme from a lookup function evaluated once per role.
  public init(name: String, usesColor: Bool, appearance: (Role) -> Appearance) {
    self.name = name
    self.usesColor = usesColor
    table = Role.allCases.map(appearance)
  }

  /// How `role` looks under this theme.
  public subscript(role: Role) -> Appearance { table[Int(role.rawValue)] }
}

extension Theme {
  /// Colour theme for 8- and 256-colour terminals.
  public static let color = Theme(name: "color", usesColor: true) { role in
    switch role {
    case .normal: Appearance()
    case .dim: Appearance(dim: true)
    case .border: Appearance(.blue, foreground256: 67)
    case .title: Appearance(.cyan, foreground256: 117, bold: true)
    case .bitSet: Appearance(.green, foreground256: 114, bold: true)
    case .bitClear: Appearance()
    case .pinned: Appearance(.yellow, foreground256: 220, bold: true)
    case .cursor: Appearance(reverse: true)
    case .cursorAlarm: Appearance(.red, foreground256: 196, bold: true, reverse: true)
    case .alarm: Appearance(.red, foreground256: 203, bold: true)
    case .success: Appearance(.green, foreground256: 114)
    case .warning: Appearance(.yellow, foreground256: 214)
    case .statusBar: Appearance(.black, on: .cyan, reverse: false)
    case .key: Appearance(.yellow, foreground256: 228, bold: true)
    case .changed: Appearance(.magenta, foreground256: 213, bold: true)
    }
  }

  /// Monochrome theme (`NO_COLOR`, or a terminal without colours): meaning carried by
  /// bold, reverse, underline and dim, alongside the symbols the view always draws.
  public static let monochrome = Theme(name: "mono", usesColor: false) { role in
    switch role {
    case .normal, .bitClear: Appearance()
    case .dim, .border: Appearance(dim: true)
    case .title, .bitSet, .key: Appearance(bold: true)
    case .pinned: Appearance(bold: true, underline: true)
    case .cursor: Appearance(reverse: true)
    case .cursorAlarm: Appearance(bold: true, reverse: true, underline: true)
    // Not the pinned look: a #GP in the log and a pinned mask must not read alike.
    case .alarm: Appearance(bold: true, reverse: true)
    case .success: Appearance()
    case .warning: Appearance(underline: true)
    case .statusBar: Appearance(reverse: true)
    case .changed: Appearance(bold: true)
    }
  }

  /// Projector theme (`--theme projector`): high contrast for the back of a room — bold
  /// everywhere that carries meaning, no dim text (it washes out on a projector), bright
  /// colours on the terminal's background, alarms in reverse red.
  public static let projector = Theme(name: "projector", usesColor: true) { role in
    switch role {
    case .normal, .bitClear: Appearance(.white, foreground256: 231, bold: true)
    case .dim: Appearance(.white, foreground256: 250)
    case .border: Appearance(.cyan, foreground256: 51, bold: true)
    case .title: Appearance(.cyan, foreground256: 51, bold: true)
    case .bitSet: Appearance(.green, foreground256: 46, bold: true)
    case .pinned: Appearance(.yellow, foreground256: 226, bold: true, underline: true)
    case .cursor: Appearance(bold: true, reverse: true)
    case .cursorAlarm: Appearance(.red, foreground256: 196, bold: true, reverse: true, underline: true)
    case .alarm: Appearance(.white, on: .red, foreground256: 231, bold: true)
    case .success: Appearance(.green, foreground256: 46, bold: true)
    case .warning: Appearance(.yellow, foreground256: 226, bold: true)
    case .statusBar: Appearance(.black, on: .white, bold: true)
    case .key: Appearance(.yellow, foreground256: 226, bold: true)
    case .changed: Appearance(.magenta, foreground256: 201, bold: true)
    }
  }

  /// The theme `--theme` names: `color` (also `normal`), `mono` (also `monochrome`) or
  /// `projector`; `nil` for anything else.
  public static func named(_ name: String) -> Theme? {
    switch name.lowercased() {
    case "color", "colour", "normal": .color
    case "mono", "monochrome": .monochrome
    case "projector": .projector
    default: nil
    }
  }
}
