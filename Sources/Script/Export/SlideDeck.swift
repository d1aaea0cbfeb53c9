import Engine

/// `crpin export slides`: a script as Markdown. Pure and deterministic: the same script gives
/// the same bytes.
///
/// - `slides` (the default): one slide per narrated chapter — a step as the TUI plays it, the
///   `#>` narration and the statements up to the next narration — between `---` lines, after
///   Marp's `marp: true` front matter (reveal-md reads the same file): the narration, each
///   statement with its outcome, rules, layers and checks, and the rows that changed.
/// - `handout`: one section per statement that acts (`## Step N: …`) with the narration that
///   precedes it, every register and pin before and after, the outcome, every rule with its
///   sentence, the layers that saw a kernel write, the notes and the step's `expect` lines.
public struct SlideDeck: Sendable {
  /// How the deck is cut.
  public enum Form: Sendable {
    /// A slide per narrated chapter, `---` between slides.
    case slides
    /// A section per statement that acts.
    case handout
  }

  /// The Markdown, ending in a newline.
  public let markdown: String
  /// The run: its error (a parse or run-time error; then there is no deck worth writing) and
  /// failed expectations.
  public let report: ScriptReport
  /// How many sections: narrated chapters (slides), or statements that act (handout).
  public let sectionCount: Int

  /// Runs `source` on `session` (a fresh booted, pinned vCPU by default) and renders the deck.
  /// `title` heads it (a first narration paragraph repeating it is not shown again); `origin`
  /// (a path or `scenario NAME`) is named under the title.
  public init(
    source: String, title: String, origin: String, form: Form = .slides, session: Session = Session()
  ) {
    switch form {
    case .slides:
      var builder = ChapterSlides(title: title)
      report = Self.run(source, session: session, into: &builder)
      markdown = builder.finish(report, title: title, origin: origin)
      sectionCount = builder.count
    case .handout:
      var builder = Builder(title: title)
      report = Self.run(source, session: session, into: &builder)
      markdown = builder.finish(report, title: title, origin: origin)
      sectionCount = builder.count
    }
  }

  /// Runs every statement through `ScriptDriver` (no trace), handing narration, actions and
  /// checks to `builder` in order.
  private static func run(_ source: String, session: Session, into builder: inout some DeckBuilder)
    -> ScriptReport
  {
    var driver = ScriptDriver(session: session, format: nil)
    switch parseScript(source, initialVCPUs: session.vm.vcpus.count) {
    case .failure(let error):
      var report = ScriptReport(session: session)
      report.error = error
      return report
    case .success(let statements):
      for statement in statements {
        if case .narration(let text) = statement.command {
          builder.narration(text)
          continue
        }
        let before = driver.report.session
        guard let record = driver.run(statement, emit: { _ in }) else {
          if driver.stopped { break }
          continue
        }
        if let result = record.expectation {
          builder.check(record, result, before: before)
        } else {
          builder.step(record, before: before, after: driver.report.session)
        }
      }
      return driver.report
    }
  }
}

/// What turns a run into Markdown: told each narration line, action and check in order.
protocol DeckBuilder {
  /// How many sections so far.
  var count: Int { get }
  mutating func narration(_ text: String)
  mutating func step(_ record: StepRecord, before: Session, after: Session)
  mutating func check(_ record: StepRecord, _ result: ExpectationResult, before: Session)
  /// The Markdown, ending in a newline.
  mutating func finish(_ report: ScriptReport, title: String, origin: String) -> String
}

/// `n step(s)` and how the expectations went.
func deckSummary(count: Int, noun: String, _ report: ScriptReport) -> String {
  let failed = report.failures.count
  let checked = report.expectationsChecked
  return "\(count) \(noun)\(count == 1 ? "" : "s")"
    + (checked == 0
      ? "."
      : failed == 0
        ? "; all \(checked) expectations held." : "; \(failed) of \(checked) expectations FAILED.")
}

/// The handout: a step's section stays open until the next step, so the `expect` lines after it
/// land in it.
private struct Builder: DeckBuilder {
  /// The title, until the first narration is taken (which does not repeat it).
  var title: String?
  var narration: [String] = []
  var sections: [[String]] = []
  var checks: [String] = []
  var count = 0

  mutating func step(_ record: StepRecord, before: Session, after: Session) {
    closeSection()
    count += 1
    var lines = ["", "## Step \(count): `\(record.text)`", ""]
    lines += takeNarration()
    lines.append(contentsOf: Self.body(record, before: before, after: after))
    sections.append(lines)
  }

  mutating func narration(_ text: String) { narration.append(text) }

  mutating func check(_ record: StepRecord, _ result: ExpectationResult, before: Session) {
    let verdict = result.skipped ? "skipped" : result.holds ? "holds" : "**FAILED**: \(result.message)"
    checks.append("- `\(record.text)` — \(verdict)")
  }

  mutating func finish(_ report: ScriptReport, title: String, origin: String) -> String {
    var out = ["# " + title, "", "Generated by `crpin export slides` from \(origin)."]
    closeSection()
    out += sections.flatMap { $0 }
    let closing = takeNarration()
    if !closing.isEmpty { out += ["", "## After the last step", ""] + closing.dropLast() }
    out += ["", "---", "", deckSummary(count: count, noun: "step", report)]
    return out.joined(separator: "\n") + "\n"
  }

  private mutating func closeSection() {
    guard !checks.isEmpty else { return }
    if sections.isEmpty {
      sections.append(["", "## Before the first step", ""])
    }
    sections[sections.count - 1] += ["", "**Checks:**", ""] + checks
    checks = []
  }

  /// The pending narration as paragraphs (an empty `#>` line separates them), each followed by
  /// a blank line.
  private mutating func takeNarration() -> [String] {
    var paragraphs = Narration.paragraphs(narration)
    if let title, !paragraphs.isEmpty {
      paragraphs = ScriptTitle.withoutTitle(paragraphs, title: title)
      self.title = nil
    }
    narration = []
    return paragraphs.flatMap { [$0, ""] }
  }

  private static func body(_ record: StepRecord, before: Session, after: Session) -> [String] {
    let index = record.vcpu
    let beforeVM = record.outcome?.before ?? before.vm
    let afterVM = record.outcome?.after ?? after.vm
    var lines: [String] = []
    var facts = ["line \(record.line)", "vCPU \(index)"]
    if let action = record.action, let outcome = record.outcome,
      StatementText.of(action, under: outcome.before.options.mechanism) != record.text
    {
      facts.append("as `\(StatementText.of(action, under: outcome.before.options.mechanism))`")
    }
    lines.append(facts.joined(separator: " · "))
    lines += ["", "| register | before | after |", "| --- | --- | --- |"]
    lines += registerRows(beforeVM, afterVM, index)
    lines += ["", "**Outcome:** " + outcomeDescription(record, after: afterVM)]
    if let outcome = record.outcome {
      if !outcome.rules.isEmpty {
        lines += ["", "**Rules:**", ""]
        lines += outcome.rules.map { "- `\($0.id.rawValue)` — \($0.message)" }
      }
      if !outcome.layers.isEmpty {
        lines += ["", "**Layers:**", ""]
        lines += outcome.layers.map { "- \($0.name): \($0.verdict)" }
      }
      var seen: Set<String> = []
      let notes = outcome.notes.filter { seen.insert($0).inserted }
      if !notes.isEmpty {
        lines += ["", "**Notes:**", ""]
        lines += notes.map { "- " + $0 }
      }
    }
    return lines
  }

  private static func registerRows(_ before: VirtualMachine, _ after: VirtualMachine, _ index: Int)
    -> [String]
  {
    guard before.vcpus.indices.contains(index), after.vcpus.indices.contains(index) else { return [] }
    let old = before.vcpus[index].registers
    let new = after.vcpus[index].registers
    var rows: [(String, UInt64, UInt64)] = [
      ("CR0", old.cr0, new.cr0), ("CR3", old.cr3, new.cr3), ("CR4", old.cr4, new.cr4),
      ("EFER", old.efer, new.efer),
    ]
    let oldPins = before.effectivePins(on: index)
    let newPins = after.effectivePins(on: index)
    for field in PinField.allCases {
      let (a, b) = (field.value(in: oldPins), field.value(in: newPins))
      // Low pins are almost always 0: shown only when they are not.
      if field == .cr0Low || field == .cr4Low, a == 0, b == 0 { continue }
      rows.append(("`\(field.qualifiedName)`", a, b))
    }
    return rows.map { name, a, b in
      "| \(name) | \(Hex.short(a)) | " + (a == b ? Hex.short(b) : "**\(Hex.short(b))** (changed)") + " |"
    }
  }
}

/// What a statement did: the outcome, a value read, pinned bits forced, and every change
/// (`#GP — no change`, `ok — CR4 0x360ef0 → 0x260ef0`).
func outcomeDescription(_ record: StepRecord, after: VirtualMachine) -> String {
  guard let outcome = record.outcome else {
    return record.op == "vcpus"
      ? "ok — a fresh VM, \(after.vcpus.count) booted vCPUs" : "ok — vCPU \(record.vcpu) selected"
  }
  var text = outcome.kind.display
  if let value = outcome.value { text += ", read \(Hex.short(value))" }
  if let forced = outcome.forced {
    text += ", pinned bits forced (CR0 \(Hex.short(forced.cr0)), CR4 \(Hex.short(forced.cr4)))"
  }
  let changes = outcome.changes.map(\.description)
  return text + (changes.isEmpty ? " — no change" : " — " + changes.joined(separator: ", "))
}
