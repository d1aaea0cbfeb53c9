import Script

/// `:help`: the script language in brief, the text `crpin help language` prints.
enum LanguageHelpOverlay {
  static func draw(scroll: Int, into screen: inout Screen) {
    let rect = Rect(row: 1, column: 0, width: screen.width, height: max(4, screen.height - 2))
    screen.box(
      rect, title: [Run("Script language", .title), Run("  crpin help language", .dim)],
      footer: [Run("↑↓ PgUp PgDn scroll  Esc close  :help NAME for one statement", .dim)])
    let inner = rect.inner
    let area = Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height)
    let paragraphs = LanguageHelp.text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      let indent = line.prefix { $0 == " " }.count
      return Paragraph(String(line.dropFirst(indent)), .normal, indent: indent, hangingIndent: indent + 4)
    }
    let lines = paragraphs.flatMap { $0.lines(width: area.width) }
    let first = min(scroll, max(0, lines.count - area.height))
    for (offset, line) in lines.dropFirst(first).prefix(area.height).enumerated() {
      screen.put(runs: line, row: area.row + offset, column: area.column, limit: area.right)
    }
  }
}
