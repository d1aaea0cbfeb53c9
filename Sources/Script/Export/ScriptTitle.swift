/// The title a trainer's own script gives itself: its first statement, when that is a `#>`
/// narration line standing alone as a paragraph (an empty `#>` line after it), as in
///
///     #> SMEP in five minutes
///     #>
///     #> ret2usr jumps to user memory…
///
/// `crpin tui --scenario FILE` and the exports head the script with it (and do not repeat it as
/// narration); a script without one is titled by its file name.
public enum ScriptTitle {
  /// The heading of `source`, or `nil` when it has none (or does not parse).
  public static func heading(of source: String) -> String? {
    guard case .success(let statements) = parseScript(source) else { return nil }
    var lines: [String] = []
    for statement in statements.prefix(2) {
      guard case .narration(let text) = statement.command else { break }
      lines.append(text.trimmingCharacters(in: " \t"))
    }
    guard lines.count == 2, !lines[0].isEmpty, lines[1].isEmpty else { return nil }
    return lines[0]
  }

  /// Narration paragraphs without a first one that only repeats `title`.
  public static func withoutTitle(_ paragraphs: [String], title: String) -> [String] {
    paragraphs.first == title ? Array(paragraphs.dropFirst()) : paragraphs
  }
}
