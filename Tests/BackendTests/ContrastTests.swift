import Foundation
import TUI
import Testing

@testable import CursesBackend

/// WCAG 2 contrast of every role of every colour theme, as a 256-colour terminal draws it.
///
/// Colours are xterm's 256-colour palette. A role that keeps the terminal's own background is
/// checked against two assumed backgrounds per variant — dark: black (16) and a dark grey (236,
/// `#303030`, as many dark themes use); light: white (231) and a light grey (254, `#e4e4e4`) —
/// and the terminal's own text colour is assumed to be 250 (`#bcbcbc`) on dark and 238
/// (`#444444`) on light. A role that sets its background (the projector variants paint every
/// cell) is checked against that. Reverse video swaps the pair; a dim attribute still drawn is
/// taken as the foreground halfway to the background.
///
/// Thresholds: 4.5:1 (WCAG AA for text) for every role that carries text, 3:1 (WCAG's minimum
/// for large text and interface parts) for borders and dim hints — except on the projector,
/// where dim hints need 4.5:1 too (a projector washes contrast out).
@Suite("Theme contrast")
struct ContrastTests {
  @Test("every role of every colour theme variant is readable", arguments: Theme.all.filter(\.usesColor))
  func readable(theme: Theme) {
    for failure in contrastFailures(theme) {
      Issue.record(
        "\(theme.name) (\(theme.background)): \(failure.role) has contrast \(failure.contrast) < \(failure.threshold)"
      )
    }
  }

  @Test("the check catches white text on a light terminal (the projector theme before issue 12)")
  func catchesTheOldProjectorTheme() {
    let failures = contrastFailures(Self.oldProjector)
    #expect(failures.contains { $0.role == .normal })
    #expect(failures.contains { $0.role == .key })
    #expect(failures.count >= 8)
  }

  @Test("the check catches the old default theme's yellow key hints on a light terminal")
  func catchesYellowKeysOnLight() {
    let old = Theme(name: .color, background: .light, usesColor: true) { role in
      role == .key ? Appearance(.yellow, foreground256: 228, bold: true) : Theme.colorLight[role]
    }
    #expect(contrastFailures(old).map(\.role) == [.key])
  }

  @Test("a fault's rule text is never dim: it reads like text in every theme")
  func ruleIsText() {
    for theme in Theme.all {
      #expect(!theme[.rule].dim, "\(theme.name) \(theme.background)")
      #expect(theme[.rule] != theme[.dim], "\(theme.name) \(theme.background)")
    }
  }

  /// Today's projector theme before issue 12 (231 white on the terminal's background), taken
  /// as if the terminal were light.
  static let oldProjector = Theme(name: .projector, background: .light, usesColor: true) { role in
    switch role {
    case .normal, .bitClear: Appearance(.white, foreground256: 231, bold: true)
    case .dim: Appearance(.white, foreground256: 250)
    case .border, .title: Appearance(.cyan, foreground256: 51, bold: true)
    case .bitSet, .success, .held: Appearance(.green, foreground256: 46, bold: true)
    case .pinned: Appearance(.yellow, foreground256: 226, bold: true, underline: true)
    case .cursor: Appearance(bold: true, reverse: true)
    case .cursorAlarm: Appearance(.red, foreground256: 196, bold: true, reverse: true, underline: true)
    case .alarm, .rule, .lost: Appearance(.white, on: .red, foreground256: 231, bold: true)
    case .warning, .key: Appearance(.yellow, foreground256: 226, bold: true)
    case .statusBar: Appearance(.black, on: .white, bold: true)
    case .changed: Appearance(.magenta, foreground256: 201, bold: true)
    }
  }
}

/// A role whose contrast is below its threshold.
struct ContrastFailure {
  let role: Role
  let contrast: Double
  let threshold: Double
}

/// The roles of `theme` below their threshold on a 256-colour terminal (see `ContrastTests`).
func contrastFailures(_ theme: Theme) -> [ContrastFailure] {
  let assumed: (text: Int16, backgrounds: [Int16]) =
    theme.background == .dark ? (250, [16, 236]) : (238, [231, 254])
  var failures: [ContrastFailure] = []
  for role in Role.allCases {
    let style = cellStyle(for: theme[role], on: .colors(count: 256, defaultColors: true))
    let foreground = XtermPalette.rgb((style.foreground ?? -1) >= 0 ? style.foreground ?? 0 : assumed.text)
    let backgrounds = (style.background ?? -1) >= 0 ? [style.background ?? 0] : assumed.backgrounds
    let threshold: Double =
      switch role {
      case .dim: theme.paintsBackground ? 4.5 : 3
      case .border: 3
      default: 4.5
      }
    let worst =
      backgrounds.map { index -> Double in
        var pair = (text: foreground, back: XtermPalette.rgb(index))
        if style.attributes.contains(.reverse) { pair = (pair.back, pair.text) }
        if style.attributes.contains(.dim) { pair.text = XtermPalette.mix(pair.text, pair.back) }
        return XtermPalette.contrast(pair.text, pair.back)
      }.min() ?? 0
    if worst < threshold {
      failures.append(
        ContrastFailure(role: role, contrast: (worst * 100).rounded() / 100, threshold: threshold))
    }
  }
  return failures
}

/// xterm's 256-colour palette and WCAG 2 contrast.
enum XtermPalette {
  typealias RGB = (red: Double, green: Double, blue: Double)

  /// The colour of palette entry `index` (0-255), channels 0-255.
  static func rgb(_ index: Int16) -> RGB {
    let basic: [RGB] = [
      (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
      (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
      (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    switch index {
    case 0..<16: return basic[Int(index)]
    case 16..<232:
      let levels: [Double] = [0, 95, 135, 175, 215, 255]
      let cube = Int(index) - 16
      return (levels[cube / 36], levels[(cube / 6) % 6], levels[cube % 6])
    default:
      let grey = Double(8 + 10 * (Int(index) - 232))
      return (grey, grey, grey)
    }
  }

  /// `a` halfway to `b`.
  static func mix(_ a: RGB, _ b: RGB) -> RGB {
    ((a.red + b.red) / 2, (a.green + b.green) / 2, (a.blue + b.blue) / 2)
  }

  /// WCAG 2 relative luminance.
  static func luminance(_ color: RGB) -> Double {
    func linear(_ channel: Double) -> Double {
      let c = channel / 255
      return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
    }
    return 0.2126 * linear(color.red) + 0.7152 * linear(color.green) + 0.0722 * linear(color.blue)
  }

  /// WCAG 2 contrast ratio, 1 to 21.
  static func contrast(_ a: RGB, _ b: RGB) -> Double {
    let (x, y) = (luminance(a), luminance(b))
    return (max(x, y) + 0.05) / (min(x, y) + 0.05)
  }
}
