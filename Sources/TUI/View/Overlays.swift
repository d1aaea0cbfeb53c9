import Engine

extension Screen {
  /// A box of `width` x `height` centred on the screen (shrunk to fit), cleared; its rect.
  mutating func centredBox(width: Int, height: Int, title: [Run], footer: [Run] = []) -> Rect {
    let w = min(width, self.width)
    let h = min(height, self.height)
    let rect = Rect(row: (self.height - h) / 2, column: (self.width - w) / 2, width: w, height: h)
    box(rect, title: title, footer: footer)
    return rect
  }
}

/// `?`: every key of the register view, from the keymap itself, and the legend.
enum HelpOverlay {
  /// Every binding as a line, group titles included.
  static var entries: [[Run]] {
    var entries: [[Run]] = []
    for group in Keymap.groups {
      entries.append([Run(group.title, .title)])
      for binding in group.bindings {
        entries.append([Run(" " + binding.label.padded(to: 10), .key), Run(binding.summary)])
      }
    }
    return entries
  }

  /// Draws the keys in two (three on a wide terminal) columns; when they do not all fit, the
  /// list starts `scroll` entries in and ↑↓ scroll it.
  static func draw(_ state: AppState, into screen: inout Screen) {
    let entries = Self.entries
    let columnWidth = 37
    let columns = screen.width >= 3 * columnWidth + 6 ? 3 : 2
    if screen.width < 90 { screen.fill(row: 0, column: 0, width: screen.width, height: screen.height) }
    let extra: [[Run]] = [
      [
        Run("▲", .pinned), Run("/"), Run("▼", .pinned), Run(" pinned  "), Run("◆", .pinned), Run(" VTL1  "),
        Run("1↑ 0↓ 1↕", .changed), Run(" changed/put back  "), Run("!1!", .cursorAlarm), Run(" would #GP"),
      ],
      [
        Run("Mouse", .key), Run(" click: select bit, again: toggle; wheel scrolls the log"),
      ],
    ]
    let wanted = (entries.count + columns - 1) / columns
    let rect = screen.centredBox(
      width: columns * columnWidth + 4, height: wanted + extra.count + 2,
      title: [Run("Keys", .title)], footer: [Run("↑↓ scroll  any other key closes", .dim)])
    let inner = rect.inner
    let rowsAvailable = max(1, inner.height - extra.count)
    let scroll = min(state.overlayScroll, max(0, entries.count - columns * rowsAvailable))
    let shown = Array(entries.dropFirst(scroll).prefix(columns * rowsAvailable))
    let rows = min(rowsAvailable, (shown.count + columns - 1) / columns)
    for (index, entry) in shown.enumerated() {
      let column = inner.column + 1 + (index / max(1, rows)) * (columnWidth + 1)
      let row = inner.row + index % max(1, rows)
      screen.put(runs: entry, row: row, column: column, limit: min(inner.right, column + columnWidth - 1))
    }
    for (offset, line) in extra.enumerated() {
      screen.put(
        runs: line, row: inner.bottom - extra.count + 1 + offset, column: inner.column + 1, limit: inner.right
      )
    }
  }
}

/// `S`: the built-in scenarios.
enum ScenarioPicker {
  static func draw(_ state: AppState, into screen: inout Screen) {
    let idWidth = (state.scenarios.map(\.id.columns).max() ?? 8) + 2
    let width = min(screen.width - 4, 76)
    let listHeight = min(state.scenarios.count, max(3, screen.height - 10))
    let rect = screen.centredBox(
      width: width, height: listHeight + 7, title: [Run("Scenarios", .title)],
      footer: [Run("↑↓ choose  Enter play  Esc cancel", .dim)])
    let inner = rect.inner
    let first = max(0, min(state.pickerSelection - listHeight + 1, state.scenarios.count - listHeight))
    for (offset, scenario) in state.scenarios.dropFirst(first).prefix(listHeight).enumerated() {
      let index = first + offset
      let selected = index == state.pickerSelection
      let text = (selected ? "▸ " : "  ") + scenario.id.padded(to: idWidth) + scenario.title
      screen.put(
        clipped: text.padded(to: inner.width - 2), row: inner.row + offset, column: inner.column + 1,
        width: inner.width - 2, role: selected ? .cursor : .normal)
    }
    guard state.scenarios.indices.contains(state.pickerSelection) else { return }
    let narration = state.scenarios[state.pickerSelection].introduction
    let area = Rect(
      row: inner.row + listHeight + 1, column: inner.column + 1, width: inner.width - 2, height: 4)
    screen.flow([Paragraph(narration, .dim)], in: area)
  }
}

/// `q` with unsaved actions: quit or stay.
enum QuitConfirm {
  static func draw(_ state: AppState, into screen: inout Screen) {
    let count = state.transcriptActionCount
    let rect = screen.centredBox(width: 52, height: 6, title: [Run("Quit?", .title)])
    let inner = rect.inner
    screen.flow(
      [
        Paragraph("\(count) statement\(count == 1 ? "" : "s") would be lost: no --record file keeps them."),
        Paragraph([Run("y", .key), Run(" quit   "), Run("n", .key), Run(" stay")]),
      ], in: Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height))
  }
}

/// Below the minimum size: what to do, and that `q` still works.
enum TooSmall {
  static func draw(_ state: AppState, into screen: inout Screen) {
    let need = AppState.minimumSize
    let text =
      state.mode == .quitConfirm
      ? "quit and lose the unrecorded actions? y quits, n stays"
      : "enlarge the window (need \(need.width)x\(need.height), have \(screen.width)x\(screen.height)) — q quits"
    let lines = Paragraph(text, .warning).lines(width: max(1, screen.width - 2))
    let top = max(0, (screen.height - lines.count) / 2)
    for (offset, line) in lines.enumerated() {
      let length = line.reduce(0) { $0 + $1.text.columns }
      screen.put(runs: line, row: top + offset, column: max(0, (screen.width - length) / 2))
    }
  }
}
