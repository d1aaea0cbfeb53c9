import Engine

/// One row of the statement table (`StatementKind.row`).
struct StatementRow: Sendable {
  /// Reads what follows a statement's words.
  typealias Parse = @Sendable (inout TokenCursor) throws(ScriptError) -> Command

  /// How a row appears in the language help.
  enum Help: Sendable {
    /// A line of its own: the words and operands, then this meaning.
    case line(String)
    /// On the line of the row before it, after ` / ` (`smi / rsm`: one meaning for both).
    case sharesLine
    /// Lines written out whole (a statement with several forms: `option`, `expect`).
    case lines([HelpLine])
  }

  /// The keyword and, for a two-word statement, the word after it: `["host", "wrmsr"]`.
  let words: [String]
  /// What follows the words, as the help writes it: `cr0|cr3|cr4, EXPR`.
  let operands: String
  /// Who acts (`guest`, `host`, `kernel`, `SMM`, `L1`, `L2`, `VTL1`); nil for the script's
  /// own statements (`vcpus`, `vcpu`, `expect`).
  let actor: Actor?
  /// Its place in the help.
  let help: Help
  /// The README's wording of its help line, when it says more than the help's.
  let readme: String?
  /// Actions the printer writes as this statement (the tests' round trips run them).
  let examples: [Action]
  /// Reads what follows the words.
  let parse: Parse

  /// A row whose operands `parse` reads.
  init(
    _ words: [String], _ operands: String = "", actor: Actor?, help: Help, readme: String? = nil,
    examples: [Action], parse: @escaping Parse
  ) {
    self.words = words
    self.operands = operands
    self.actor = actor
    self.help = help
    self.readme = readme
    self.examples = examples
    self.parse = parse
  }

  /// A row without operands: the statement is always `action`.
  init(_ words: [String], actor: Actor, help: Help, readme: String? = nil, fixed action: Action) {
    self.init(words, actor: actor, help: help, readme: readme, examples: [action]) { _ throws(ScriptError) in
      .action(.fixed(action))
    }
  }

  /// The words and operands: `host wrmsr MSR, EXPR`.
  var syntax: String { (words + (operands.isEmpty ? [] : [operands])).joined(separator: " ") }
}

/// One line of the language help: the syntax, then its meaning at column 35 (on a line of its
/// own when the syntax is too long); the README's table has a row for each.
struct HelpLine: Equatable, Sendable {
  /// The syntax, forms separated by ` / `; a second line, if any, is written as it is.
  let syntax: String
  /// What it does; empty when the syntax says it.
  let meaning: String
  /// The README's wording, when it says more than `meaning`.
  let readme: String?

  init(_ syntax: String, _ meaning: String, readme: String? = nil) {
    self.syntax = syntax
    self.meaning = meaning
    self.readme = readme
  }

  /// Where the meaning starts, after the help's two-space indent.
  static let meaningColumn = 33

  /// The line as the help prints it, with its two-space indent.
  var text: String {
    let indented = syntax.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    guard !meaning.isEmpty else { return indented }
    if syntax.count < Self.meaningColumn - 1 {
      return indented + String(repeating: " ", count: Self.meaningColumn - syntax.count) + meaning
    }
    return indented + "\n" + String(repeating: " ", count: Self.meaningColumn + 2) + meaning
  }

  /// The line as a row of the README's Markdown table: each form in backticks, `|` escaped.
  var markdownRow: String {
    let oneLine = syntax.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    let forms = oneLine.replacing(" / ", with: "\u{0}").split(separator: "\u{0}").map {
      "`" + $0.replacing("|", with: "\\|") + "`"
    }
    return "| " + forms.joined(separator: " · ") + " | " + (readme ?? meaning) + " |"
  }
}

extension StatementKind {
  /// The help's lines, in order.
  static let helpLines: [HelpLine] = {
    var lines: [HelpLine] = []
    for kind in allCases {
      let row = kind.row
      switch row.help {
      case .line(let meaning): lines.append(HelpLine(row.syntax, meaning, readme: row.readme))
      case .lines(let own): lines += own
      case .sharesLine:
        guard let last = lines.popLast() else { continue }
        lines.append(HelpLine(last.syntax + " / " + row.syntax, last.meaning, readme: last.readme))
      }
    }
    return lines
  }()

  /// The statements' part of the language help.
  static var helpText: String { helpLines.map(\.text).joined(separator: "\n") }

  /// The README's statement table, header included.
  static var markdownTable: String {
    (["| statement | what |", "|---|---|"] + helpLines.map(\.markdownRow)).joined(separator: "\n")
  }

  /// Every keyword a statement starts with, in the table's order.
  static let keywords: [String] = {
    var seen: [String] = []
    for kind in allCases where !seen.contains(kind.row.words[0]) { seen.append(kind.row.words[0]) }
    return seen
  }()

  /// The statements each keyword starts, in the table's order.
  private static let byKeyword: [String: [StatementKind]] = Dictionary(
    grouping: allCases, by: { $0.row.words[0] })

  /// The operation's name, as JSON lines report it in `op`: the statement's words.
  var op: String { Self.ops[rawValue] }

  /// Every statement's `op`, joined once.
  private static let ops = allCases.map { $0.row.words.joined(separator: " ") }

  /// The second words of the statements `keyword` starts (`host`: `wrmsr`, `rdmsr`, `sregs`);
  /// empty for a one-word statement.
  static func verbs(after keyword: String) -> [String] {
    (byKeyword[keyword] ?? []).compactMap { $0.row.words.dropFirst().first }
  }

  /// The statement `first` starts, reading its second word from `cursor` when the keyword
  /// starts several (`host wrmsr`, `vtl1 policy`).
  static func reading(_ first: Token, _ cursor: inout TokenCursor) throws(ScriptError) -> StatementKind {
    let keyword = first.keyword ?? ""
    guard let kinds = byKeyword[keyword] else {
      throw cursor.error(Suggestions.message("statement", first, among: keywords), at: first.column)
    }
    let verbs = verbs(after: keyword)
    guard !verbs.isEmpty else { return kinds[0] }
    let verb = try cursor.requireWord("\(choice(verbs)) after `\(keyword)`")
    if let kind = kinds.first(where: { $0.row.words.dropFirst().first == verb.keyword }) { return kind }
    guard verbs.count > 1 else {
      throw cursor.error("expected `\(verbs[0])` after `\(keyword)`, found \(verb.quoted)", at: verb.column)
    }
    throw cursor.error(
      Suggestions.message(
        "\(keyword) operation", verb, among: verbs, hint: "use " + choice(verbs.map { "\(keyword) \($0)" })),
      at: verb.column)
  }

  /// "`a`, `b` or `c`".
  private static func choice(_ words: [String]) -> String {
    let quoted = words.map { "`\($0)`" }
    guard quoted.count > 1 else { return quoted.joined() }
    return quoted.dropLast().joined(separator: ", ") + " or " + (quoted.last ?? "")
  }
}

extension Action {
  /// Who acts, from the statement table: the guest, its kernel, the host, VTL1, SMM, L1 or L2
  /// (every action's row names one; `StatementTableTests` checks it).
  public var actor: Actor { StatementKind(self).row.actor ?? .host }
}
