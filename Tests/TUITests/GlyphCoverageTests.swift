import Engine
import Script
import Testing
import TUI

/// Every character the views draw can be shown on any terminal: ASCII, or a glyph with an
/// ASCII stand-in (`Glyphs.ascii`, used for `--ascii` and non-UTF-8 locales). The glyphs in that
/// table are all in DejaVu Sans Mono and Menlo; all but the rounded corners, ✓ ✗ ◆ ▸ ▶ are in
/// WGL4 too (Consolas, Liberation Mono).
@Suite("glyphs: every scalar drawn has an ASCII fallback")
struct GlyphCoverageTests {
  /// Many states: every mode and overlay, every mechanism, the projector layout, predict mode,
  /// and every built-in scenario played to its end.
  static var states: [Driver] {
    var drivers: [Driver] = [
      SnapshotStates.booted, SnapshotStates.smm, SnapshotStates.l2, SnapshotStates.stopped,
      SnapshotStates.help, SnapshotStates.promptError, SnapshotStates.scenario,
      Driver(AppState(projector: true)),
    ]
    for key: Character in ["c", "D", "T", "S", ":"] {
      var d = Driver()
      d.press(.character(" "))
      d.press(.character(key))
      drivers.append(d)
    }
    var quit = Driver()
    quit.press(.character(" "), .character("q"))
    drivers.append(quit)
    for mechanism in Mechanism.allCases {
      var d = Driver()
      d.command("option mechanism \(mechanism.rawValue)")
      d.command("boot")
      d.press(.character(" "), .character("t"))
      drivers.append(d)
    }
    for scenario in Scenario.all {
      var d = Driver(AppState(quiz: true))
      d.effects += d.state.startScenario(id: scenario.id) ?? []
      d.press(.character("n"))
      drivers.append(d)  // the predict question
      var played = Driver(AppState(projector: scenario.id.hasPrefix("lesson")))
      played.effects += played.state.startScenario(id: scenario.id) ?? []
      for _ in 0..<40 { played.press(.character("n")) }
      drivers.append(played)
      played.press(.character("c"))
      drivers.append(played)
      played.press(.escape, .character("u"), .character("u"))
      drivers.append(played)  // a step back: the history marker
    }
    return drivers
  }

  @Test("every non-ASCII scalar drawn, at 80x24, 100x30 and 170x45, has an ASCII stand-in")
  func everyScalarHasAFallback() {
    var missing: [Unicode.Scalar: String] = [:]
    var seen: Set<Unicode.Scalar> = []
    for driver in Self.states {
      for (width, height) in [(80, 24), (100, 30), (170, 45)] {
        let screen = driver.screen(width, height)
        for cell in screen.cells where !cell.scalar.isASCII {
          seen.insert(cell.scalar)
          if Glyphs.ascii[cell.scalar] == nil { missing[cell.scalar] = screen.text }
        }
        // The ASCII form is ASCII through and through.
        #expect(screen.drawn(with: .ascii).cells.allSatisfy { $0.scalar.isASCII })
      }
    }
    for (scalar, screen) in missing {
      Issue.record(
        "no ASCII fallback for \(scalar) (U+\(String(scalar.value, radix: 16))), drawn in:\n\(screen)")
    }
    // The states do reach the glyphs: a test that saw none would prove nothing.
    for glyph in "╭│▲▼↑↓↕◆◦·✓▸…—".unicodeScalars { #expect(seen.contains(glyph), "\(glyph) never drawn") }
  }

  @Test("the Linux console form has no rounded corners and nothing outside its font")
  func linuxConsole() {
    for driver in [SnapshotStates.booted, SnapshotStates.scenario] {
      let screen = driver.screen(100, 30).drawn(with: .linuxConsole)
      #expect(screen.text.contains("┌ ") && !screen.text.contains("╭"))
      for cell in screen.cells where !cell.scalar.isASCII {
        #expect(Glyphs.consoleFont.contains(cell.scalar), "\(cell.scalar)")
      }
    }
  }
}
