/// Runs of text laid out into lines of a given width, breaking at spaces.
struct Paragraph: Sendable {
  var runs: [Run]
  /// Columns of indent on the first line.
  var indent: Int
  /// Columns of indent on the second and later lines.
  var hangingIndent: Int

  init(_ runs: [Run], indent: Int = 0, hangingIndent: Int = 0) {
    self.runs = runs
    self.indent = indent
    self.hangingIndent = hangingIndent
  }

  init(_ text: String, _ role: Role = .normal, indent: Int = 0, hangingIndent: Int = 0) {
    self.init([Run(text, role)], indent: indent, hangingIndent: hangingIndent)
  }

  /// An empty line.
  static let blank = Paragraph([])

  /// The words: runs split at single spaces (a word may consist of pieces in different
  /// roles). Further spaces after a separator stay, as the start of the next word, so padding
  /// for alignment survives.
  private var words: [[Run]] {
    var words: [[Run]] = []
    var current: [Run] = []
    var pendingSpaces = 0
    var pendingRole = Role.normal
    for run in runs {
      let scalars = run.text.unicodeScalars
      // The word being read in this run: from `start` to the scalar before `index`.
      var start = scalars.startIndex
      var index = start
      while index < scalars.endIndex {
        if scalars[index] == " " {
          if start == index && current.isEmpty {
            if pendingSpaces == 0 { pendingRole = run.role }
            pendingSpaces += 1
          } else {
            if start < index { current.append(Run(String(scalars[start..<index]), run.role)) }
            words.append(current)
            current = []
          }
          index = scalars.index(after: index)
          start = index
        } else {
          if start == index && current.isEmpty && pendingSpaces > 0 {
            // The first space after a word was the separator; these are the rest, kept in the
            // role of the text they padded (so padding never changes a cell's look).
            current.append(Run(String(repeating: " ", count: pendingSpaces), pendingRole))
            pendingSpaces = 0
          }
          index = scalars.index(after: index)
        }
      }
      if start < index { current.append(Run(String(scalars[start..<index]), run.role)) }
    }
    if !current.isEmpty { words.append(current) }
    return words
  }

  /// The paragraph broken into lines of at most `width` columns; words longer than a line are
  /// split.
  func lines(width: Int) -> [[Run]] {
    guard width > 0 else { return [] }
    var lines: [[Run]] = []
    var line: [Run] = []
    var start = min(indent, width - 1)
    if start > 0 { line.append(Run(String(repeating: " ", count: start))) }
    var used = start
    func newLine() {
      lines.append(line)
      start = min(hangingIndent, width - 1)
      line = start > 0 ? [Run(String(repeating: " ", count: start))] : []
      used = start
    }
    for word in words {
      let length = word.reduce(0) { $0 + $1.text.columns }
      if used > start {
        if used + 1 + length > width {
          newLine()
        } else {
          line.append(Run(" ", line.last?.role ?? .normal))
          used += 1
        }
      }
      for piece in word {
        let columns = piece.text.columns
        if used + columns <= width {
          line.append(piece)
          used += columns
          continue
        }
        var scalars = Array(piece.text.unicodeScalars)[...]
        while !scalars.isEmpty {
          if used >= width { newLine() }
          let take = min(width - used, scalars.count)
          line.append(Run(String(String.UnicodeScalarView(scalars.prefix(take))), piece.role))
          used += take
          scalars = scalars.dropFirst(take)
        }
      }
    }
    lines.append(line)
    return lines
  }
}

extension Screen {
  /// Draws paragraphs into `rect` top-down, clipped at its bottom; returns the row after the
  /// last line drawn.
  @discardableResult
  mutating func flow(_ paragraphs: [Paragraph], in rect: Rect, from startRow: Int? = nil) -> Int {
    var row = startRow ?? rect.row
    for paragraph in paragraphs {
      for line in paragraph.lines(width: rect.width) {
        guard row <= rect.bottom else { return row }
        put(runs: line, row: row, column: rect.column, limit: rect.right)
        row += 1
      }
    }
    return row
  }
}
