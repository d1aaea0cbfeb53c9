import Engine

extension AppState {
  /// Below this size a playing scenario switches to the presenter layout on its own (the
  /// sizes a projector with a large font gives: 80x24 to 100x30 and a little more).
  public static let presenterBelow = TerminalSize(width: 110, height: 32)

  /// Whether the screen uses the presenter layout at `width` x `height`: a scenario is
  /// playing, and `--present` asked for it or the terminal is smaller than `presenterBelow`
  /// in either direction.
  public func usesPresenterLayout(width: Int, height: Int) -> Bool {
    playback != nil
      && (presentForced || width < Self.presenterBelow.width || height < Self.presenterBelow.height)
  }
}

/// Where the presenter layout puts things: the registers the scenario is about under the mode
/// line, the narration (scrolling) in the middle, the step pane at the bottom, as tall as the
/// step needs; the key bar last.
struct PresenterLayout {
  var registers: Rect
  var narration: Rect
  var step: Rect
  var stepContent: PresenterStep.Content

  /// Narration rows (borders included) the step pane leaves at least.
  static let minimumNarration = 5

  init(_ state: AppState, width: Int, height: Int) {
    registers = Rect(row: 1, column: 0, width: width, height: PresenterRegisters.height)
    let top = 1 + PresenterRegisters.height
    let rest = max(0, height - top - 1)
    let narrationNeeded = state.playback.map { NarrationText.lines($0, width: width - 4).count + 2 } ?? 0
    var content = PresenterStep.content(state, width: width - 4, roomy: true)
    if rest - (content.lines.count + 2) < narrationNeeded {
      content = PresenterStep.content(state, width: width - 4, roomy: false)
    }
    stepContent = content
    // The step pane as tall as its lines; the narration as tall as its text within the rest;
    // rows left over go to the step pane, around its outcome.
    let stepHeight = min(content.lines.count + 2, max(3, rest - Self.minimumNarration))
    let narrationHeight = min(max(Self.minimumNarration, narrationNeeded), rest - stepHeight)
    narration = Rect(row: top, column: 0, width: width, height: max(0, narrationHeight))
    step = Rect(row: top + narration.height, column: 0, width: width, height: max(0, rest - narration.height))
  }
}

/// The presenter layout: big type for a room. See `PresenterLayout`.
enum PresenterView {
  static func draw(_ state: AppState, into screen: inout Screen, layout: PresenterLayout) {
    PresenterRegisters.draw(state, into: &screen, rect: layout.registers)
    if let playback = state.playback {
      NarrationText.drawBox(playback, scroll: state.narrationScroll, into: &screen, rect: layout.narration)
    }
    PresenterStep.draw(layout.stepContent, into: &screen, rect: layout.step)
  }
}
