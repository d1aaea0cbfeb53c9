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

/// `?`: every key of the register view, from the keymap itself, and the legend. A group's
/// heading always has keys under it in the same column: a group that does not fit goes on in
/// the next column under its heading again (`Session (cont.)`).
enum HelpOverlay {
  /// The width of one column of keys.
  static let columnWidth = 37

  /// One binding as a line.
  static func entry(_ binding: Keymap.Binding) -> [Run] {
    [Run(" " + binding.label.padded(to: 10), .key), Run(binding.summary)]
  }

  /// The keymap laid out in columns of `rows` lines (at least 3). Unsplit, a group that does
  /// not fit under the one before starts a new column (one taller than a column is split all
  /// the same). Split, a group starts where three rows are left — its heading and two keys —
  /// and goes on in the next column under its heading again.
  static func columns(rows: Int, split: Bool) -> [[[Run]]] {
    let rows = max(3, rows)
    var columns: [[[Run]]] = [[]]
    for group in Keymap.groups {
      let left = rows - columns[columns.count - 1].count
      let needed = split ? min(3, 1 + group.bindings.count) : 1 + group.bindings.count
      if left < needed, !columns[columns.count - 1].isEmpty { columns.append([]) }
      columns[columns.count - 1].append([Run(group.title, .title)])
      for binding in group.bindings {
        if columns[columns.count - 1].count == rows {
          columns.append([[Run(group.title + " (cont.)", .title)]])
        }
        columns[columns.count - 1].append(entry(binding))
      }
    }
    return columns
  }

  /// The layout for `perPage` columns of at most `maxRows`: the fewest rows that show every key
  /// on one page, whole groups preferred; else (↑↓ scroll a column at a time) whole groups
  /// in columns as tall as the screen allows.
  static func layout(perPage: Int, maxRows: Int) -> [[[Run]]] {
    for split in [false, true] {
      for rows in 3...max(3, maxRows) where columns(rows: rows, split: split).count <= perPage {
        return columns(rows: rows, split: split)
      }
    }
    return columns(rows: maxRows, split: false)
  }

  /// The most rows of keys a screen `height` rows high has room for.
  static func maxRows(height: Int) -> Int { max(3, height - 3 - extra.count) }

  /// The lines under the keys: the legend, the mouse, the command line.
  static let extra: [[Run]] = [
    [
      Run("▲", .pinned), Run("/"), Run("▼", .pinned), Run(" pinned  "), Run("◆", .pinned), Run(" VTL1  "),
      Run("1↑ 0↓ 1↕", .changed), Run(" changed/put back  "), Run("!1!", .cursorAlarm), Run(" would #GP"),
    ],
    [Run("Mouse", .key), Run(" click selects a bit, again toggles it; the wheel scrolls the log")],
    [
      Run(":", .key), Run(" line  "), Run("Tab", .key), Run(" completes  "), Run("↑↓", .key),
      Run(" history  "),
      Run("help NAME", .key), Run(" the language  "), Run("Esc C-c", .key), Run(" cancel"),
    ],
  ]

  /// Draws the keys in two (three on a wide terminal) columns, as few rows as that takes;
  /// when they do not fit the screen, ↑↓ scroll a column at a time.
  static func draw(scroll: Int, into screen: inout Screen) {
    let perPage = screen.width >= 3 * columnWidth + 6 ? 3 : 2
    // The key bar stays: the box and the cleared area end above it.
    if screen.width < 90 { screen.fill(row: 0, column: 0, width: screen.width, height: screen.height - 1) }
    let layout = self.layout(perPage: perPage, maxRows: maxRows(height: screen.height))
    let rows = layout.map(\.count).max() ?? 0
    let first = min(scroll, max(0, layout.count - perPage))
    let more = layout.count > perPage ? "↑↓ more columns  " : ""
    let rect = screen.centredBox(
      width: perPage * columnWidth + 4, height: rows + extra.count + 2,
      title: [Run("Keys", .title)], footer: [Run(more + "any other key closes", .dim)])
    let inner = rect.inner
    for (index, column) in layout.dropFirst(first).prefix(perPage).enumerated() {
      let left = inner.column + 1 + index * (columnWidth + 1)
      for (row, line) in column.prefix(inner.height - extra.count).enumerated() {
        screen.put(
          runs: line, row: inner.row + row, column: left, limit: min(inner.right, left + columnWidth - 1))
      }
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
  /// From this width the list and the chosen scenario's introduction stand side by side.
  static let wideWidth = 160

  static func draw(_ state: AppState, selection: Int, into screen: inout Screen) {
    if screen.width >= wideWidth {
      drawWide(state, selection: selection, into: &screen)
      return
    }
    let idWidth = (state.scenarios.map(\.id.columns).max() ?? 8) + 2
    let width = min(screen.width - 4, 76)
    let listHeight = min(state.scenarios.count, max(3, screen.height - 10))
    let rect = screen.centredBox(
      width: width, height: listHeight + 7, title: [Run("Scenarios", .title)],
      footer: [Run("↑↓ choose  Enter play  Esc cancel", .dim)])
    let inner = rect.inner
    let first = max(0, min(selection - listHeight + 1, state.scenarios.count - listHeight))
    for (offset, scenario) in state.scenarios.dropFirst(first).prefix(listHeight).enumerated() {
      let index = first + offset
      let selected = index == selection
      let text = (selected ? "▸ " : "  ") + scenario.id.padded(to: idWidth) + scenario.title
      screen.put(
        clipped: text.padded(to: inner.width - 2), row: inner.row + offset, column: inner.column + 1,
        width: inner.width - 2, role: selected ? .cursor : .normal)
    }
    guard state.scenarios.indices.contains(selection) else { return }
    let narration = state.scenarios[selection].introduction
    let area = Rect(
      row: inner.row + listHeight + 1, column: inner.column + 1, width: inner.width - 2, height: 4)
    screen.flow([Paragraph(narration, .dim)], in: area)
  }
}

extension ScenarioPicker {
  /// At 160 columns and more: every id and title in full on the left, the chosen scenario's
  /// introduction beside them.
  static func drawWide(_ state: AppState, selection: Int, into screen: inout Screen) {
    let idWidth = (state.scenarios.map(\.id.columns).max() ?? 8) + 2
    let titleWidth = state.scenarios.map(\.title.columns).max() ?? 20
    let width = min(screen.width - 8, 170)
    let listWidth = min(idWidth + titleWidth + 4, width - 52)
    let listHeight = min(state.scenarios.count, max(3, screen.height - 8))
    let rect = screen.centredBox(
      width: width, height: max(listHeight, 8) + 2, title: [Run("Scenarios", .title)],
      footer: [Run("↑↓ choose  Enter play  Esc cancel", .dim)])
    let inner = rect.inner
    let first = max(0, min(selection - listHeight + 1, state.scenarios.count - listHeight))
    for (offset, scenario) in state.scenarios.dropFirst(first).prefix(listHeight).enumerated() {
      let selected = first + offset == selection
      let text = (selected ? "▸ " : "  ") + scenario.id.padded(to: idWidth) + scenario.title
      screen.put(
        clipped: text.padded(to: listWidth - 2), row: inner.row + offset, column: inner.column + 1,
        width: listWidth - 2, role: selected ? .cursor : .normal)
    }
    let divider = inner.column + listWidth
    for row in inner.row...inner.bottom { screen[row, divider] = Cell("│", .border) }
    guard state.scenarios.indices.contains(selection) else { return }
    let scenario = state.scenarios[selection]
    let area = Rect(
      row: inner.row, column: divider + 2, width: inner.right - divider - 2, height: inner.height)
    screen.flow(
      [Paragraph("\(scenario.steps.count) steps", .dim), .blank, Paragraph(scenario.introduction)], in: area)
  }
}

/// `q` with unsaved actions: quit or stay.
enum QuitConfirm {
  static func draw(_ state: AppState, byInterrupt: Bool, into screen: inout Screen) {
    let count = state.transcriptActionCount
    let rect = screen.centredBox(width: 52, height: 6, title: [Run("Quit?", .title)])
    let inner = rect.inner
    screen.flow(
      [
        Paragraph("\(count) statement\(count == 1 ? "" : "s") would be lost: no --record file keeps them."),
        Paragraph(
          [
            Run(byInterrupt ? "y C-c" : "y", .key), Run(" quit   "), Run("n", .key),
            Run(" stay"),
          ]),
      ], in: Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height))
  }
}

/// Below the minimum size: what to do, and that `q` still works.
enum TooSmall {
  static func draw(_ state: AppState, into screen: inout Screen) {
    let need = AppState.minimumSize
    let text =
      state.mode.kind == .quitConfirm
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
