import TUI
import Testing

@testable import CursesBackend

@Suite("Theme selection: background detection, --background, NO_COLOR")
struct ThemeSelectionTests {
  @Test(
    "COLORFGBG: the last field is the background; 7 and 9-15 light, 0-6 and 8 dark",
    arguments: [
      ("0;15", Background.light as Background?), ("15;0", .dark), ("0;default;15", .light), ("7;0", .dark),
      ("0;7", .light),
      ("12;8", .dark), ("0;11", .light), ("default;default", nil), ("", nil), ("garbage", nil), ("0;16", nil),
      ("0; 15", .light),
    ])
  func colorfgbg(value: String, expected: Background?) {
    #expect(background(fromCOLORFGBG: value) == expected)
  }

  @Test(
    "OSC 11 replies: rgb with 1-4 hex digits a channel, ended by BEL or ST, light when black text reads better",
    arguments: [
      ("\u{1B}]11;rgb:ffff/ffff/ffff\u{1B}\\", Background.light as Background?),
      ("\u{1B}]11;rgb:0000/0000/0000\u{07}", .dark),
      ("\u{1B}]11;rgb:fdfd/f6f6/e3e3\u{1B}\\\u{1B}[?62;22c", .light),  // Solarized light, then DA1
      ("\u{1B}]11;rgb:00/2b/36\u{07}", .dark),  // Solarized dark, two digits a channel
      ("\u{1B}]11;rgb:8/8/8\u{07}", .light),
      ("\u{1B}]11;rgb:3030/3030/3030\u{07}", .dark),
      ("\u{1B}[?1;2c", nil),  // DA1 only: the terminal ignored OSC 11
      ("\u{1B}]11;rgb:ffff/ffff\u{07}", nil),
      ("\u{1B}]11;rgb:fffff/0/0\u{07}", nil),
      ("", nil),
    ])
  func osc11(reply: String, expected: Background?) {
    #expect(background(fromOSC11Reply: Array(reply.utf8)) == expected)
  }

  @Test("a DA1 answer ends the wait; other bytes do not")
  func deviceAttributes() {
    #expect(TerminalQuery.containsDeviceAttributes(Array("\u{1B}]11;rgb:0/0/0\u{07}\u{1B}[?1;2c".utf8)))
    #expect(TerminalQuery.containsDeviceAttributes(Array("\u{1B}[?6c".utf8)))
    #expect(!TerminalQuery.containsDeviceAttributes(Array("\u{1B}]11;rgb:0/0/0\u{07}".utf8)))
    #expect(!TerminalQuery.containsDeviceAttributes(Array("\u{1B}[?1;2".utf8)))
  }

  @Test("--background light or dark wins, and the terminal is not asked")
  func flagWins() {
    var asked = false
    let query = { () -> Background? in
      asked = true
      return .dark
    }
    #expect(resolveBackground(.light, colorfgbg: "15;0", query: query) == .light)
    #expect(resolveBackground(.dark, colorfgbg: "0;15", query: query) == .dark)
    #expect(!asked)
  }

  @Test("auto: COLORFGBG first (without asking), then the terminal's answer, then dark")
  func autoOrder() {
    var asked = false
    #expect(
      resolveBackground(.auto, colorfgbg: "0;15") {
        asked = true
        return .dark
      } == .light)
    #expect(!asked)
    #expect(resolveBackground(.auto, colorfgbg: nil) { .light } == .light)
    #expect(resolveBackground(.auto, colorfgbg: "default;default") { .light } == .light)
    #expect(resolveBackground(.auto, colorfgbg: nil) { nil } == .dark)
  }

  @Test("the variant follows the background; NO_COLOR, --no-color and a colourless terminal still win")
  func variants() {
    let light = chooseTheme(
      preference: .auto, noColorVariable: nil, terminalHasColors: true, colorTheme: .projector,
      background: .light)
    #expect(light.name == .projector && light.background == .light && light.paintsBackground)
    let colorLight = chooseTheme(
      preference: .auto, noColorVariable: nil, terminalHasColors: true, colorTheme: .color, background: .light
    )
    #expect(colorLight.name == .color && colorLight.background == .light)
    #expect(
      chooseTheme(
        preference: .auto, noColorVariable: "1", terminalHasColors: true, colorTheme: .projector,
        background: .light
      ).name == .mono)
    #expect(
      chooseTheme(
        preference: .never, noColorVariable: nil, terminalHasColors: true, colorTheme: .color,
        background: .light
      ).name == .mono)
    #expect(
      chooseTheme(
        preference: .auto, noColorVariable: nil, terminalHasColors: false, colorTheme: .color,
        background: .light
      ).name == .mono)
    #expect(Theme.monochrome.variant(for: .light).name == .mono)
    #expect(Theme.projectorLight.variant(for: .dark).background == .dark)
  }

  @Test("the projector variants paint every role's background; the colour variants keep the terminal's")
  func paintedBackgrounds() {
    for theme in [Theme.projector, .projectorLight] {
      for role in Role.allCases {
        let style = cellStyle(for: theme[role], on: .colors(count: 256, defaultColors: true))
        #expect((style.background ?? -1) >= 0, "\(theme.background) \(role)")
        #expect((style.foreground ?? -1) >= 0, "\(theme.background) \(role)")
      }
    }
    #expect(
      cellStyle(for: Theme.colorLight[.normal], on: .colors(count: 256, defaultColors: true)).background == -1
    )
  }

  @Test("on 256 colours an extended foreground replaces the dim attribute; on 8 colours dim stays")
  func dimOn256() {
    let dim = Theme.color[.dim]
    #expect(!cellStyle(for: dim, on: .colors(count: 256, defaultColors: true)).attributes.contains(.dim))
    #expect(cellStyle(for: dim, on: .colors(count: 8, defaultColors: true)).attributes.contains(.dim))
  }
}
