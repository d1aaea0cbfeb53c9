/// The language help cut into entries, for `:help NAME` and the prompt's hint line.
extension LanguageHelp {
  /// One statement's line of the help (with its continuation lines), or a topic paragraph
  /// (`EXPR:`, `MSR:`, `Exit status:`).
  public struct Entry: Equatable, Sendable {
    /// The lines as the help prints them, without the leading indent.
    public let lines: [String]
    /// The words each form starts with, lower-cased (`set cr4.SMEP / clear cr0.WP`: `set`,
    /// `clear`); a topic's name (`expr`).
    let forms: [[String]]

    /// Whether `words` (lower-cased) name this entry: the first is a form's first word, and a
    /// second, if given, starts one of the alternatives of the form's second word.
    func matches(_ words: [String]) -> Bool {
      guard let first = words.first else { return false }
      return forms.contains { form in
        guard form.first == first else { return false }
        guard words.count > 1, form.count > 1 else { return true }
        return form[1].split(separator: "|").contains { $0.hasPrefix(words[1]) }
      }
    }
  }

  /// Every entry, in the help's order.
  public static let entries: [Entry] = {
    var entries: [Entry] = []
    var lines: [String] = []
    var forms: [[String]] = []
    var inTopic = false
    func flush() {
      if !lines.isEmpty, !forms.isEmpty { entries.append(Entry(lines: lines, forms: forms)) }
      lines = []
      forms = []
      inTopic = false
    }
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if line.hasPrefix("   ") {
        lines.append(String(line.drop { $0 == " " }))
      } else if line.hasPrefix("  ") {
        flush()
        let body = String(line.dropFirst(2))
        lines = [body]
        forms = statementForms(body)
      } else if let colon = line.firstIndex(of: ":"), line.first?.isUppercase == true,
        line[..<colon].split(separator: " ").count <= 2
      {
        flush()
        lines = [line]
        forms = [[line[..<colon].split(separator: " ").first.map { $0.lowercased() } ?? ""]]
        inTopic = true
      } else if inTopic, !line.isEmpty {
        // A topic paragraph goes on until the next topic or statement.
        lines.append(line)
      } else {
        flush()
      }
    }
    flush()
    return entries
  }()

  /// The entries `words` name (`["mov"]`, `["host", "sregs"]`, `["expr"]`): with a second word
  /// the entries it narrows to, or every entry of the first word when it narrows to none.
  public static func entries(for words: [String]) -> [Entry] {
    let lowered = words.map { $0.lowercased() }
    let exact = entries.filter { $0.matches(lowered) }
    if !exact.isEmpty || lowered.count < 2 { return exact }
    return entries.filter { $0.matches(Array(lowered.prefix(1))) }
  }

  /// The names `:help NAME` knows: every statement keyword and topic.
  public static var topics: [String] {
    var seen: [String] = []
    for entry in entries {
      for form in entry.forms where !seen.contains(form[0]) { seen.append(form[0]) }
    }
    return seen
  }

  /// The words a command line may start with: every statement keyword, and `help`.
  static var promptKeywords: [String] { Suggestions.keywords + ["help"] }

  /// The statement or topic closest to `word`, when it looks like a typo of one.
  public static func closestTopic(to word: String) -> String? {
    Suggestions.closest(to: word, among: topics)
  }

  /// The first words of each ` / `-separated form of a statement's syntax (the part before
  /// the first run of two spaces), lower-cased, `[…]` qualifiers dropped.
  private static func statementForms(_ body: String) -> [[String]] {
    let syntax = body.firstRange(of: "  ").map { body[..<$0.lowerBound] } ?? body[...]
    return syntax.split(separator: " / ").map { form in
      form.split(separator: " ").prefix(2).map { word in
        String(word.prefix { $0 != "[" }).lowercased()
      }
    }
  }
}
