import Engine

/// Draws `state` on a screen of `width` x `height` cells.
public func view(_ state: AppState, width: Int, height: Int) -> Screen {
  render(state, width: width, height: height).screen
}

/// Draws `state` and records where each bit landed, for mouse clicks.
public func render(_ state: AppState, width: Int, height: Int) -> Frame {
  var screen = Screen(width: width, height: height)
  var hitMap = HitMap(width: width)
  guard width >= AppState.minimumSize.width, height >= AppState.minimumSize.height else {
    TooSmall.draw(state, into: &screen)
    return Frame(screen: screen, hitMap: hitMap)
  }
  ModeLine.draw(state, into: &screen, width: width)
  let predictArea: Rect
  if state.usesPresenterLayout(width: width, height: height) {
    let layout = PresenterLayout(state, width: width, height: height)
    PresenterView.draw(state, into: &screen, layout: layout)
    predictArea = layout.step
  } else {
    predictArea = drawNormalLayout(state, into: &screen, hitMap: &hitMap, width: width, height: height)
  }
  if state.showsKeys { KeyBar.draw(state, into: &screen, width: width, row: height - 1) }
  switch state.mode {
  case .help(let scroll): HelpOverlay.draw(scroll: scroll, into: &screen)
  case .scenarioPicker(let selection): ScenarioPicker.draw(state, selection: selection, into: &screen)
  case .quitConfirm(let byInterrupt): QuitConfirm.draw(state, byInterrupt: byInterrupt, into: &screen)
  case .predict: PredictOverlay.draw(state, into: &screen, over: predictArea)
  case .compare(let pane): ComparePane.draw(state, pane: pane, into: &screen)
  case .discrepancies(let scroll): DiscrepanciesOverlay.draw(scroll: scroll, into: &screen)
  case .timeline(let selection): TimelineOverlay.draw(state, selection: selection, into: &screen)
  case .mechanismPicker(let selection): MechanismPicker.draw(state, selection: selection, into: &screen)
  case .languageHelp(let scroll): LanguageHelpOverlay.draw(scroll: scroll, into: &screen)
  case .normal, .command: break
  }
  return Frame(screen: screen, hitMap: state.mode.kind == .normal ? hitMap : HitMap(width: width))
}

/// The register view's usual layout (see `Layout`); returns the log's place, where the
/// Predict box goes so the narration stays readable.
private func drawNormalLayout(
  _ state: AppState, into screen: inout Screen, hitMap: inout HitMap, width: Int, height: Int
) -> Rect {
  let layout = Layout(state, width: width, height: height)
  if state.projector {
    ProjectorRegisters(state: state).draw(into: &screen, hitMap: &hitMap, rect: layout.registers)
  } else {
    RegisterPanel(state: state).draw(
      into: &screen, hitMap: &hitMap, rect: layout.registers,
      footer: layout.msrs == nil ? registerFooter(state) : [])
  }
  if let msrs = layout.msrs { MSRPanel.draw(state, into: &screen, rect: msrs) }
  if let detail = layout.detail { DetailPane.draw(state, into: &screen, rect: detail) }
  if let narration = layout.narration, let playback = state.playback {
    NarrationPane.draw(
      playback, quiz: state.quiz, into: &screen, rect: narration, scroll: state.narrationScroll,
      interactive: state.showsKeys)
  }
  LogPane.draw(state, into: &screen, rect: layout.log)
  return layout.log
}

/// EFER and CR3 in the register panel's bottom edge when there is no MSR panel.
private func registerFooter(_ state: AppState) -> [Run] {
  let registers = state.currentVCPU.registers
  return [
    Run("EFER ", .dim), Run(Engine.Hex.short(registers.efer)), Run("  CR3 ", .dim),
    Run(Engine.Hex.short(registers.cr3)), Run("  pin MSRs: the masks above", .dim),
  ]
}

/// Where each part of the screen goes: the register panel under the mode line; below it the
/// MSR panel (when there is room) beside the detail pane; the log below those, or beside the
/// detail pane on a 24-line terminal; the key bar at the bottom.
///
/// While a scenario plays, its narration takes the place of the MSR and detail panes, no
/// taller than it needs (`narrationRows`, borders included): the log gets the rest.
struct Layout {
  var registers: Rect
  var msrs: Rect?
  var detail: Rect?
  var narration: Rect?
  var log: Rect

  /// The layout for `state`: the narration pane as tall as the playing scenario's text.
  init(_ state: AppState, width: Int, height: Int) {
    var rows: Int?
    if let playback = state.playback {
      let text = NarrationText.lines(playback, width: width - 4).count
      rows =
        text
        + NarrationPane.bottom(playback, quiz: state.quiz, interactive: state.showsKeys).flatMap {
          $0.lines(width: width - 4)
        }.count
        + 2
    }
    self.init(
      width: width, height: height, hasPlayback: state.playback != nil, projector: state.projector,
      narrationRows: rows)
  }

  init(width: Int, height: Int, hasPlayback: Bool, projector: Bool = false, narrationRows: Int? = nil) {
    registers = Rect(row: 1, column: 0, width: width, height: RegisterPanel.height)
    let top = 1 + RegisterPanel.height
    let rest = height - top - 1
    if rest >= 16 {
      // The detail pane grows with the terminal (badges, sources) up to 16 rows; the log keeps
      // at least 6.
      var middle = min(16, max(10, rest - 10))
      if hasPlayback, let narrationRows { middle = min(middle, max(6, narrationRows)) }
      let msrWidth = MSRPanel.width
      if hasPlayback {
        narration = Rect(row: top, column: 0, width: width, height: middle)
      } else if projector {
        detail = Rect(row: top, column: 0, width: width, height: middle)
      } else {
        msrs = Rect(row: top, column: 0, width: msrWidth, height: middle)
        detail = Rect(row: top, column: msrWidth, width: width - msrWidth, height: middle)
      }
      log = Rect(row: top + middle, column: 0, width: width, height: rest - middle)
    } else {
      let leftWidth = hasPlayback ? width * 3 / 5 : width / 2
      let left = Rect(row: top, column: 0, width: leftWidth, height: rest)
      if hasPlayback { narration = left } else { detail = left }
      log = Rect(row: top, column: leftWidth, width: width - leftWidth, height: rest)
    }
  }
}
