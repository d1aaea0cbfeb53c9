import Foundation
import Testing

/// Every step of every lesson played in the presenter layout at projector sizes: the
/// narration is reachable whole by scrolling (PgDn), and after each step its statements and
/// its outcome are on screen.
@Suite("presenter layout end to end (tmux)", .serialized)
struct PresenterEndToEndTests {
  /// A lesson's script as the binary prints it (`crpin scenario NAME --source`), cut into
  /// steps the way the TUI plays them.
  struct Lesson {
    struct Step {
      var narration: [String] = []
      var actions: [String] = []
      /// The outcome its last action expects (`#GP`, `#PF`, `ok`), from the `expect` after it.
      var outcome: String?
    }

    var steps: [Step] = []
    var conclusion: [String] = []

    init(source: String) {
      var narration: [String] = []
      var current: Step?
      for raw in source.split(separator: "\n", omittingEmptySubsequences: false) {
        let line = raw.trimmingCharacters(in: .whitespaces)
        if line.hasPrefix("#>") {
          if let step = current {
            steps.append(step)
            current = nil
          }
          narration.append(String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces))
          continue
        }
        if line.isEmpty || line.hasPrefix("#") { continue }
        if current == nil {
          current = Step(narration: Self.paragraphs(narration))
          narration = []
        }
        if line.hasPrefix("expect") {
          let words = line.split(separator: " ")
          if words.count == 2, current?.outcome == nil, current?.actions.isEmpty == false {
            let expected = ["ok": "ok", "gp": "#GP", "pf": "#PF", "ud": "#UD"]
            current?.outcome = expected[String(words[1])]
          }
        } else {
          current?.actions.append(line)
          current?.outcome = nil
        }
      }
      if let step = current { steps.append(step) }
      conclusion = Self.paragraphs(narration)
    }

    /// Narration lines as paragraphs: blank lines separate them, the rest are joined.
    static func paragraphs(_ lines: [String]) -> [String] {
      lines.split(separator: "", omittingEmptySubsequences: true).map { $0.joined(separator: " ") }
    }
  }

  static let sizes = [(80, 24), (100, 30)]

  @Test(
    "every step of every lesson at 80x24 and 100x30: narration reachable, statements and outcome shown",
    arguments: ["lesson-smep", "lesson-smap"], [0, 1])
  func lesson(id: String, sizeIndex: Int) throws {
    let (width, height) = Self.sizes[sizeIndex]
    let binary = try CrpinBinary.require()
    let source = try Tmux.execute([binary, "scenario", id, "--source"])
    #expect(source.status == 0)
    let lesson = Lesson(source: source.output)
    #expect(lesson.steps.count >= 6)
    let app = try TUIRun(width: width, height: height, arguments: "tui --scenario \(id)")
    let total = lesson.steps.count
    try app.tmux.waitFor("step 0/\(total)")
    for (index, step) in lesson.steps.enumerated() {
      try Self.expectNarration(step.narration, in: app.tmux, label: "\(id) before step \(index + 1)")
      try app.tmux.keys("n")
      // Every statement the step ran, the last with the outcome its script expects, and a
      // fault's band (`#GP — rule: sentence`).
      var wanted = step.actions + ["step \(index + 1)/\(total) ran"]
      if let last = step.actions.last, let outcome = step.outcome {
        wanted.append("\(last)  \(outcome)")
        if outcome.hasPrefix("#") { wanted.append("\(outcome) — ") }
      }
      let screen = try app.tmux.waitFor("\(id) step \(index + 1) at \(width)x\(height): \(wanted)") {
        screen in
        wanted.allSatisfy { screen.contains($0) }
      }
      #expect(!screen.contains("✓ expect"))
      #expect(!screen.contains("more than fits"))
    }
    try Self.expectNarration(lesson.conclusion, in: app.tmux, label: "\(id) conclusion")
    try app.tmux.keys("q")
  }

  @Test("--present: the presenter layout at 120x40 too; without it the usual layout there")
  func forced() throws {
    let present = try TUIRun(width: 120, height: 40, arguments: "tui --scenario lesson-smep --present")
    try present.tmux.waitFor("╭ Registers")
    try present.tmux.keys("n")
    try present.tmux.waitFor("step 1/9 ran")
    let usual = try TUIRun(width: 120, height: 40, arguments: "tui --scenario lesson-smep")
    let screen = try usual.tmux.waitFor("╭ Log")
    #expect(!screen.contains("╭ Registers"))
  }

  /// Scrolls the narration down with PgDn until nothing is below, and checks that the text
  /// seen holds every paragraph; then scrolls back to the top.
  static func expectNarration(
    _ paragraphs: [String], in tmux: Tmux, label: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    var screen = try settled(tmux)
    var seen = narrationLines(screen)
    var pages = 0
    while bottomBorder(screen)?.contains("▼ more below") == true, pages < 30 {
      let before = screen
      try tmux.keys("PageDown")
      try tmux.waitFor("the narration to scroll") { $0 != before }
      screen = try settled(tmux)
      seen = merge(seen, narrationLines(screen))
      pages += 1
    }
    let text = collapse(seen.joined(separator: " "))
    for paragraph in paragraphs {
      #expect(
        text.contains(collapse(paragraph)), "\(label): missing \(paragraph)\n\(text)",
        sourceLocation: sourceLocation)
    }
    for _ in 0..<pages { try tmux.keys("PageUp") }
    if pages > 0 { try tmux.waitFor("the narration's top") { !$0.contains("▲ more above") } }
  }

  /// The screen once two captures in a row agree (the app has finished drawing a frame):
  /// `waitFor` returns only such a screen.
  static func settled(_ tmux: Tmux) throws -> String {
    try tmux.waitFor("the screen to settle") { _ in true }
  }

  /// The rows inside the narration box.
  static func narrationLines(_ screen: String) -> [String] {
    let rows = screen.components(separatedBy: "\n")
    guard let top = rows.firstIndex(where: { $0.hasPrefix("╭ Scenario") }) else { return [] }
    var lines: [String] = []
    for row in rows[(top + 1)...] {
      if row.hasPrefix("╰") { break }
      lines.append(row.trimmingCharacters(in: CharacterSet(charactersIn: "│ ")))
    }
    return lines
  }

  /// The narration box's bottom border.
  static func bottomBorder(_ screen: String) -> String? {
    let rows = screen.components(separatedBy: "\n")
    guard let top = rows.firstIndex(where: { $0.hasPrefix("╭ Scenario") }) else { return nil }
    return rows[(top + 1)...].first { $0.hasPrefix("╰") }
  }

  /// `next` appended to `seen` without the rows they share (the window moved down).
  static func merge(_ seen: [String], _ next: [String]) -> [String] {
    for overlap in stride(from: min(seen.count, next.count), through: 0, by: -1)
    where Array(seen.suffix(overlap)) == Array(next.prefix(overlap)) {
      return seen + next.dropFirst(overlap)
    }
    return seen + next
  }

  static func collapse(_ text: String) -> String {
    text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }
}
