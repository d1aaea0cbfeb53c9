import Script

/// The `:` command line on the bottom row, and above it a box of its own (never text over
/// another pane's border): what the statement being typed expects, the Tab candidates, the
/// help asked for, and an error in full, wrapped, with a caret under its column.
enum PromptPanel {
  static func draw(_ state: AppState, into screen: inout Screen, width: Int, row: Int) {
    let prompt = state.prompt
    let offset = drawLine(prompt, into: &screen, width: width, row: row)
    let inner = max(1, width - 4)
    var lines = paragraphs(prompt).flatMap { $0.lines(width: inner) }
    lines += candidateLines(prompt, width: inner)
    if let failure = prompt.failure {
      lines += Paragraph("column \(failure.column): \(failure.message)", .alarm, hangingIndent: 2)
        .lines(width: inner)
    }
    let caret = prompt.failure.map { min(max(1, $0.column - offset), width - 2) }
    // Room for the box: at most half the rows above the prompt; the newest lines (the
    // error) win over the hint when it is short of rows.
    let room = max(1, row / 2 - 2 - (caret == nil ? 0 : 1))
    lines = Array(lines.suffix(room))
    let height = lines.count + (caret == nil ? 0 : 1) + 2
    guard row - height >= 0 else { return }
    let rect = Rect(row: row - height, column: 0, width: width, height: height)
    screen.box(
      rect, title: [Run(":", .key), Run(" command line", .title)],
      footer: [Run("Tab completes · ↑↓ history · help NAME · Esc or C-c cancels", .dim)])
    for (index, line) in lines.enumerated() {
      screen.put(runs: line, row: rect.row + 1 + index, column: 2, limit: rect.right - 1)
    }
    if let caret { screen.put("^", row: rect.bottom - 1, column: caret, role: .alarm) }
  }

  /// Draws `:` and the text, scrolled so the cursor shows; returns how many characters the
  /// text is scrolled by. Only the characters that show are visited.
  private static func drawLine(_ prompt: Prompt, into screen: inout Screen, width: Int, row: Int) -> Int {
    let chars = prompt.characters
    let room = max(1, width - 2)
    let offset = max(0, prompt.cursor - room + 1)
    screen.put(":", row: row, column: 0, role: .key)
    var column = 1
    for i in min(offset, chars.count)..<chars.count {
      guard column < width else { break }
      let scalar = chars[i].unicodeScalars.first ?? " "
      screen[row, column] = Cell(scalar, i == prompt.cursor ? .cursor : .normal)
      column += 1
    }
    if prompt.cursor >= chars.count, 1 + prompt.cursor - offset < width {
      screen[row, 1 + prompt.cursor - offset] = Cell(" ", .cursor)
    }
    return offset
  }

  /// The help asked for with `help NAME`, else the hint for the text: its statement's syntax
  /// and what is still missing.
  private static func paragraphs(_ prompt: Prompt) -> [Paragraph] {
    if !prompt.shownHelp.isEmpty { return entryParagraphs(prompt.shownHelp) }
    let hint = LanguageHelp.hint(for: prompt.text)
    var result = entryParagraphs(Array(hint.entries.prefix(3)))
    if let expected = hint.expected, prompt.failure == nil {
      result.append(Paragraph([Run("▸ ", .key), Run(expected, .warning)], hangingIndent: 2))
    }
    return result
  }

  private static func entryParagraphs(_ entries: [LanguageHelp.Entry]) -> [Paragraph] {
    entries.flatMap { entry in
      entry.lines.enumerated().map { index, line in
        // The help aligns its columns with runs of spaces; two are enough here.
        let text = line.split(separator: " ", omittingEmptySubsequences: false)
          .reduce(into: "") { text, word in
            if word.isEmpty, text.hasSuffix("  ") { return }
            text += (text.isEmpty ? "" : " ") + word
          }
        return Paragraph(text, .normal, indent: index == 0 ? 0 : 4, hangingIndent: 4)
      }
    }
  }

  /// The Tab candidates, the one in the text highlighted, in at most two lines (`+N more`).
  private static func candidateLines(_ prompt: Prompt, width: Int) -> [[Run]] {
    guard let completion = prompt.completion else { return [] }
    var lines: [[Run]] = [[Run("Tab ", .key)]]
    var used = 4
    for (index, name) in completion.names.enumerated() {
      let rest = completion.names.count - index
      let more = "+\(rest) more"
      if used + name.columns + 2 > width - (rest > 1 ? more.columns + 1 : 0) {
        if lines.count == 2 {
          lines[1].append(Run(more, .dim))
          break
        }
        lines.append([Run("    ")])
        used = 4
      }
      lines[lines.count - 1] += [Run(name, index == completion.index ? .cursor : .normal), Run("  ")]
      used += name.columns + 2
    }
    return lines
  }
}
