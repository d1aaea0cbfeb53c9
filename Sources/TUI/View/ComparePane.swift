import Engine
import Script

/// `c`: the bit under the cursor under every mechanism — its value, what holds it, what a
/// guest MOV and the kernel's write path would do if it were toggled now — each column being
/// a guest booted under that mechanism and then given this session's statements; below it,
/// while a scenario plays, the scenario's matrix as `crpin compare` prints it.
enum ComparePane {
  static func draw(_ state: AppState, pane: ComparePaneState, into screen: inout Screen) {
    guard let bit = state.cursor.bit else { return }
    let rect = Rect(
      row: 1, column: 0, width: screen.width, height: max(4, screen.height - 2))
    let steps: Int
    switch pane.columns {
    case .computing(let job): steps = job.key.lines.count
    case .ready(let columns): steps = columns.statements
    }
    screen.box(
      rect,
      title: [
        Run("Compare ", .title), Run(bit.qualifiedName, .title),
        Run("  each mechanism booted, then the same \(steps) statement\(steps == 1 ? "" : "s")", .dim),
      ])
    let inner = rect.inner
    let area = Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height)
    switch pane.columns {
    case .computing(let job):
      screen.put(runs: progress(job), row: area.row, column: area.column, limit: area.right)
    case .ready(let columns):
      draw(columns, state: state, bit: bit, scroll: pane.scroll, into: &screen, area: area)
    }
  }

  /// While the columns are computed: a spinner, and how much of the replay is done.
  static func progress(_ job: CompareJob) -> [Run] {
    let spinner = ["|", "/", "-", "\\"][job.updates % 4]
    let percent = job.total > 0 ? min(99, 100 * job.done / job.total) : 0
    return [
      Run(spinner + " ", .key),
      Run("replaying the session under every mechanism: \(percent)%", .normal),
      Run("  (Esc closes)", .dim),
    ]
  }

  /// The computed columns: the cursor bit under each mechanism, then the scenario's matrix.
  private static func draw(
    _ columns: CompareColumns, state: AppState, bit: BitInfo, scroll: Int, into screen: inout Screen,
    area: Rect
  ) {
    var lines: [[Run]] = [legend(width: area.width)]
    let longest = Mechanism.allCases.map(\.rawValue.count).max() ?? 10
    let widths = (mechanism: max(10, longest), value: 3, hold: area.width >= 90 ? 22 : 16)
    let movWidth = area.width >= 90 ? 28 : 18
    lines.append([
      Run("mechanism".padded(to: widths.mechanism), .dim), Run("  = ", .dim),
      Run("pin state".padded(to: widths.hold), .dim), Run("toggle: guest mov".padded(to: movWidth), .dim),
      Run("kernel write", .dim),
    ])
    for preview in columns.previews(state.cursor, vcpu: state.vcpu) {
      let mov = preview.mov.kind.display + (preview.mov.rule.map { " " + $0 } ?? "")
      let hold = preview.hold.text
      lines.append([
        Run(preview.mechanism.rawValue.padded(to: widths.mechanism), .title),
        Run("  " + (preview.value ? "1" : "0") + " ", preview.value ? .bitSet : .bitClear),
        Run(
          hold.clipped(to: widths.hold - 1).padded(to: widths.hold), preview.hold.holds ? .pinned : .normal),
        Run(
          (preview.mov.defence.marker + mov).clipped(to: movWidth - 1).padded(to: movWidth),
          preview.mov.defence.role),
        Run(
          preview.kernelWrite.defence.marker + preview.kernelWrite.cell.text, preview.kernelWrite.defence.role
        ),
        Run(preview.stopped ? "  (VM stopped)" : "", .alarm),
      ])
    }
    if let line = columns.setsMechanismAt {
      lines.append([
        Run("transcript line \(line) sets the mechanism itself: from there on the columns share it", .warning)
      ])
    }
    lines.append([])
    if let matrix = columns.matrix {
      lines += matrixLines(
        matrix, columns: columns, state: state, scroll: scroll, width: area.width,
        room: area.height - lines.count)
    } else {
      lines.append([
        Run("A playing scenario (S) adds its matrix here: a row per step, a column per mechanism.", .dim)
      ])
    }
    for (offset, line) in lines.prefix(area.height).enumerated() {
      screen.put(runs: line, row: area.row + offset, column: area.column, limit: area.right)
    }
  }

  /// What the colours and markers mean — the defence's side, not the CPU's — in `width` columns.
  static func legend(width: Int) -> [Run] {
    let long = width >= 100
    return [
      Run(Defence.held.marker + "held", .held),
      Run(long ? ": the attack was stopped (#GP, dropped, put back)  " : ": attack stopped  ", .dim),
      Run(Defence.lost.marker + "lost", .lost),
      Run(long ? ": the attack worked  " : ": attack worked  ", .dim),
      Run("plain: no attack", .dim),
    ]
  }

  /// The scenario's matrix, scrolled so the last step run shows (PgUp/PgDn move it).
  private static func matrixLines(
    _ matrix: Comparison, columns: CompareColumns, state: AppState, scroll: Int, width: Int, room: Int
  ) -> [[Run]] {
    let id = state.playback?.scenario.id ?? ""
    // Wide enough for a marker and `restored+warned` whole when the terminal is (160+ columns).
    let cellWidth = min(max(7, (width - 30) / max(1, matrix.mechanisms.count) - 1), width >= 150 ? 17 : 15)
    let stepWidth = max(10, width - 6 - matrix.mechanisms.count * (cellWidth + 1))
    var header: [Run] = [Run("Scenario \(id): ▸ marks the steps run", .title)]
    header.append(Run(""))
    var result: [[Run]] = [header]
    var columnsRow: [Run] = [Run("line  ", .dim), Run("step".padded(to: stepWidth), .dim)]
    for mechanism in matrix.mechanisms {
      columnsRow.append(Run(" " + mechanism.rawValue.clipped(to: cellWidth).padded(to: cellWidth), .dim))
    }
    result.append(columnsRow)
    let available = max(0, room - result.count)
    let lastRun = matrix.rows.lastIndex { $0.line <= columns.playedThroughLine } ?? -1
    let defaultFirst = max(0, min(lastRun - available / 2, matrix.rows.count - available))
    let first = min(max(0, defaultFirst + scroll), max(0, matrix.rows.count - available))
    for (index, row) in matrix.rows.enumerated().dropFirst(first).prefix(available) {
      let done = index <= lastRun
      var runs: [Run] = [
        Run((done ? "▸" : " ") + String(row.line).padded(to: 5), done ? .key : .dim),
        Run(row.text.clipped(to: stepWidth - 1).padded(to: stepWidth), done ? .normal : .dim),
      ]
      for (column, cell) in row.cells.enumerated() {
        let defence = columns.defence(row: row, column: column)
        let text = (cell.isEmpty ? "" : defence.marker + cell).clipped(to: cellWidth).padded(to: cellWidth)
        runs.append(Run(" " + text, done ? defence.role : .dim))
      }
      result.append(runs)
    }
    return result
  }
}

extension Defence {
  /// The marker before a cell, so the meaning never rests on colour: `+ ` held, `! ` lost.
  var marker: String {
    switch self {
    case .held: "+ "
    case .lost: "! "
    case .neutral: ""
    }
  }

  /// The role a cell is drawn in.
  var role: Role {
    switch self {
    case .held: .held
    case .lost: .lost
    case .neutral: .normal
    }
  }
}
