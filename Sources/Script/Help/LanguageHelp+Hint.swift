/// What the TUI's command line says while a statement is typed.
extension LanguageHelp {
  /// The hint for a partly typed statement.
  public struct Hint: Equatable, Sendable {
    /// The help entries of the statement the text starts with (empty before its keyword).
    public let entries: [Entry]
    /// What the parser wants next when the text stops short of a statement
    /// (`expected ',' after the register`), or why the first word is no statement.
    public let expected: String?
  }

  /// The hint for `text`: its statement's entries, and what must follow when the text ends
  /// early. Nothing runs; the text is only parsed.
  public static func hint(for text: String) -> Hint {
    let words = text.split { $0 == " " || $0 == "\t" || $0 == "," }.map {
      String($0.prefix { $0 != "[" }).lowercased()
    }
    guard let first = words.first else {
      return Hint(entries: [], expected: "a statement: Tab lists them, `help NAME` shows one")
    }
    if first == "help" {
      return Hint(
        entries: [], expected: "help [NAME]: a statement or topic (\(topics.joined(separator: " ")))")
    }
    let entries = entries(for: Array(words.prefix(2)))
    let typingFirstWord = words.count == 1 && !text.hasSuffix(" ")
    if entries.isEmpty {
      let starting = promptKeywords.filter { $0.hasPrefix(first) }
      if typingFirstWord, !starting.isEmpty {
        return Hint(entries: [], expected: "statements: " + starting.joined(separator: " "))
      }
      let guess = Suggestions.closest(to: first, among: Suggestions.keywords).map {
        "; did you mean '\($0)'?"
      }
      return Hint(entries: [], expected: "no statement '\(first)'" + (guess ?? ""))
    }
    do {
      _ = try StatementParser.parse(text, lineNumber: 1)
      return Hint(entries: entries, expected: nil)
    } catch {
      // Only an error at the end says what is missing; one inside the text shows on Enter.
      guard error.column > text.trimmingCharacters(in: " \t").count, !typingFirstWord else {
        return Hint(entries: entries, expected: nil)
      }
      let message = error.message.replacing(" at the end of the statement", with: "")
      return Hint(entries: entries, expected: message)
    }
  }
}
