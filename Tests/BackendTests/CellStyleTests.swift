import TUI
import Testing

@testable import CursesBackend

@Suite("Cell styles")
struct CellStyleTests {
  @Test("Attributes follow the appearance", arguments: Role.allCases)
  func attributes(role: Role) {
    for theme in [Theme.color, .monochrome] {
      let appearance = theme[role]
      let style = cellStyle(for: appearance, on: .colors(count: 8, defaultColors: true))
      #expect(style.attributes.contains(.bold) == appearance.bold)
      #expect(style.attributes.contains(.reverse) == appearance.reverse)
      #expect(style.attributes.contains(.underline) == appearance.underline)
      #expect(style.attributes.contains(.dim) == appearance.dim)
    }
  }

  @Test("Monochrome uses no colour pairs", arguments: Role.allCases)
  func monochrome(role: Role) {
    #expect(!cellStyle(for: Theme.color[role], on: .monochrome).usesColor)
  }

  @Test("Every monochrome role but normal text is marked by an attribute")
  func monochromeDistinct() {
    for role in Role.allCases where ![.normal, .bitClear, .success, .held].contains(role) {
      #expect(cellStyle(for: Theme.monochrome[role], on: .monochrome).attributes != [])
    }
  }

  @Test("256 colours use the extended foreground, 8 colours the basic one")
  func extendedForeground() {
    let title = Theme.color[.title]
    #expect(cellStyle(for: title, on: .colors(count: 256, defaultColors: true)).foreground == 117)
    #expect(
      cellStyle(for: title, on: .colors(count: 8, defaultColors: true)).foreground
        == TerminalColor.cyan.rawValue)
  }

  @Test("Default colours stay default when the terminal has them")
  func defaultColors() {
    let style = cellStyle(for: Appearance(), on: .colors(count: 8, defaultColors: true))
    #expect(style.foreground == -1)
    #expect(style.background == -1)
  }

  @Test("Without default colours, default becomes white on black")
  func noDefaultColors() {
    let style = cellStyle(for: Theme.color[.statusBar], on: .colors(count: 8, defaultColors: false))
    #expect(style.foreground == TerminalColor.black.rawValue)
    #expect(style.background == TerminalColor.cyan.rawValue)
    let plain = cellStyle(for: Appearance(), on: .colors(count: 8, defaultColors: false))
    #expect(plain.foreground == TerminalColor.white.rawValue)
    #expect(plain.background == TerminalColor.black.rawValue)
  }

  @Test(
    "Theme choice",
    arguments: [
      (ColorPreference.auto, String?.none, true, "color"),
      (.auto, "", true, "color"),
      (.auto, "1", true, "mono"),
      (.never, nil, true, "mono"),
      (.auto, nil, false, "mono"),
    ])
  func themeChoice(preference: ColorPreference, noColor: String?, hasColors: Bool, name: String) {
    let theme = chooseTheme(
      preference: preference, noColorVariable: noColor, terminalHasColors: hasColors)
    #expect(theme.name.rawValue == name)
  }
}

@Test("a requested colour theme is used when colour is allowed, monochrome otherwise")
func chooseThemeHonoursTheRequestedColourTheme() {
  #expect(
    chooseTheme(preference: .auto, noColorVariable: nil, terminalHasColors: true, colorTheme: .projector).name
      == Theme.projector.name)
  #expect(
    chooseTheme(preference: .auto, noColorVariable: "1", terminalHasColors: true, colorTheme: .projector).name
      == Theme.monochrome.name)
}
