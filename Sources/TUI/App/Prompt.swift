import Script

/// The `:` command line: the text being edited, its history, the last error, Tab completion
/// and the help asked for with `help NAME`.
public struct Prompt: Equatable, Sendable {
  /// A statement the script language refused, with where.
  public struct Failure: Equatable, Sendable {
    /// The column (from 1) the error points at.
    public var column: Int
    /// What is wrong.
    public var message: String

    /// An error at `column`.
    public init(column: Int, message: String) {
      self.column = column
      self.message = message
    }
  }

  /// The text typed so far, as characters: edits change them in place, so a paste costs time
  /// linear in its length (a `String` would be copied for every character).
  public private(set) var characters: [Character] = []
  /// The text typed so far.
  public var text: String {
    get { String(characters) }
    set { characters = Array(newValue) }
  }
  /// The insertion point, in characters from the start.
  public var cursor: Int = 0
  /// Statements entered before, oldest first (no immediate duplicates).
  public var history: [String] = []
  /// The history entry being shown, or `nil` while editing a new line.
  public var historyIndex: Int?
  /// The line being edited before browsing the history.
  public var draft: String = ""
  /// The last statement's error, shown above the prompt until the text changes.
  public var failure: Failure?
  /// The candidates of the Tab completion under way, while Tab is pressed again and again.
  public var completion: TabCompletion?
  /// What `help NAME` showed, until the next statement runs or the line is cancelled.
  public var shownHelp: [LanguageHelp.Entry] = []

  /// An empty command line with no history.
  public init() {}

  /// Clears the text for a new statement (the history stays).
  mutating func reset() {
    characters = []
    cursor = 0
    historyIndex = nil
    draft = ""
    failure = nil
    completion = nil
    shownHelp = []
  }

  /// Inserts `character` at the cursor.
  mutating func insert(_ character: Character) {
    let at = min(max(cursor, 0), characters.count)
    characters.insert(character, at: at)
    cursor = at + 1
    failure = nil
  }

  /// Deletes the character before (`backward`) or under the cursor.
  mutating func delete(backward: Bool) {
    let at = backward ? cursor - 1 : cursor
    guard at >= 0, at < characters.count else { return }
    characters.remove(at: at)
    cursor = at
    failure = nil
  }

  /// Moves the cursor by `step` characters, within the text.
  mutating func moveCursor(by step: Int) {
    cursor = min(max(cursor + step, 0), characters.count)
  }

  /// Shows the previous (`older`) or next history entry.
  mutating func browseHistory(older: Bool) {
    guard !history.isEmpty else { return }
    let next: Int?
    switch (historyIndex, older) {
    case (nil, true): draft = text; next = history.count - 1
    case (nil, false): return
    case (let i?, true): next = max(i - 1, 0)
    case (let i?, false): next = i + 1 < history.count ? i + 1 : nil
    }
    historyIndex = next
    text = next.map { history[$0] } ?? draft
    cursor = characters.count
    failure = nil
  }

  /// Adds `line` to the history unless it repeats the last entry.
  mutating func remember(_ line: String) {
    if history.last != line { history.append(line) }
  }
}

/// A Tab completion with more than one candidate: the first Tab extends the word as far as the
/// candidates agree and lists them; each further Tab puts the next one in (Shift-Tab the one
/// before).
public struct TabCompletion: Equatable, Sendable {
  /// Where the word being completed starts.
  public var start: Int
  /// The candidates.
  public var names: [String]
  /// The candidate in the text now, or `nil` before the second Tab.
  public var index: Int?
  /// The text as the last Tab left it: any other edit ends the cycle.
  var text: String
}

extension Prompt {
  /// Tab (`forward`) or Shift-Tab: completes the word before the cursor, or cycles through the
  /// candidates when pressed again. Returns false when nothing completes it.
  mutating func complete(forward: Bool) -> Bool {
    if var cycle = completion, cycle.text == text, !cycle.names.isEmpty {
      let count = cycle.names.count
      let next = cycle.index.map { ($0 + (forward ? 1 : -1) + count) % count } ?? (forward ? 0 : count - 1)
      let length = cycle.index.map { cycle.names[$0].count } ?? (cursor - cycle.start)
      replace(from: cycle.start, length: length, with: cycle.names[next])
      cycle.index = next
      cycle.text = text
      completion = cycle
      return true
    }
    let found = Completion.candidates(in: text, cursor: cursor)
    switch found.names.count {
    case 0:
      completion = nil
      return false
    case 1:
      replace(from: found.start, length: found.word.count, with: found.names[0] + found.suffix)
      completion = nil
    default:
      let common = Self.commonPrefix(found.names)
      if common.count > found.word.count {
        // What was typed keeps its spelling; the candidates add the rest.
        replace(
          from: found.start, length: found.word.count, with: found.word + common.dropFirst(found.word.count))
      }
      completion = TabCompletion(start: found.start, names: found.names, index: nil, text: text)
    }
    return true
  }

  /// Replaces `length` characters at `start` with `word` and puts the cursor after it.
  private mutating func replace(from start: Int, length: Int, with word: String) {
    let from = min(max(start, 0), characters.count)
    let to = min(from + max(length, 0), characters.count)
    characters.replaceSubrange(from..<to, with: Array(word))
    cursor = from + word.count
    failure = nil
  }

  /// The longest start all `names` share (compared case-insensitively), spelt as the first.
  static func commonPrefix(_ names: [String]) -> String {
    guard let first = names.first else { return "" }
    var length = first.count
    for name in names.dropFirst() {
      let shared = zip(first.lowercased(), name.lowercased()).prefix { $0 == $1 }.count
      length = min(length, shared)
    }
    return String(first.prefix(length))
  }
}
