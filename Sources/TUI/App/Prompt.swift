/// The `:` command line: the text being edited, its history, and the last error.
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

  /// The text typed so far.
  public var text: String = ""
  /// The insertion point, in characters from the start.
  public var cursor: Int = 0
  /// Statements entered before, oldest first (no immediate duplicates).
  public var history: [String] = []
  /// The history entry being shown, or `nil` while editing a new line.
  public var historyIndex: Int?
  /// The line being edited before browsing the history.
  public var draft: String = ""
  /// The last statement's error, shown under the prompt until the text changes.
  public var failure: Failure?

  /// An empty command line with no history.
  public init() {}

  /// Clears the text for a new statement (the history stays).
  mutating func reset() {
    text = ""
    cursor = 0
    historyIndex = nil
    draft = ""
    failure = nil
  }

  /// Inserts `character` at the cursor.
  mutating func insert(_ character: Character) {
    var chars = Array(text)
    let at = min(max(cursor, 0), chars.count)
    chars.insert(character, at: at)
    text = String(chars)
    cursor = at + 1
    failure = nil
  }

  /// Deletes the character before (`backward`) or under the cursor.
  mutating func delete(backward: Bool) {
    var chars = Array(text)
    let at = backward ? cursor - 1 : cursor
    guard at >= 0, at < chars.count else { return }
    chars.remove(at: at)
    text = String(chars)
    cursor = at
    failure = nil
  }

  /// Moves the cursor by `step` characters, within the text.
  mutating func moveCursor(by step: Int) {
    cursor = min(max(cursor + step, 0), text.count)
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
    cursor = text.count
    failure = nil
  }

  /// Adds `line` to the history unless it repeats the last entry.
  mutating func remember(_ line: String) {
    if history.last != line { history.append(line) }
  }
}
