import Engine
import Script

/// A built-in scenario as the TUI plays it: its script cut into steps at the narration, each
/// step the `#>` narration a trainer reads, then the statements up to the next narration.
public struct PlaybackScenario: Equatable, Sendable {
  /// One statement of the script.
  public struct Line: Equatable, Sendable {
    /// The line number in the script, from 1.
    public var number: Int
    /// The statement.
    public var text: String
    /// Whether it is an `expect` line (a check, not an action).
    public var isCheck: Bool
  }

  /// Narration, then statements.
  public struct Step: Equatable, Sendable {
    /// The narration's paragraphs.
    public var narration: [String]
    /// The statements run by the step.
    public var lines: [Line]
  }

  /// The short id (`smm-tamper`).
  public var id: String
  /// The title.
  public var title: String
  /// The steps, in order.
  public var steps: [Step]
  /// Narration after the last statement: the conclusion.
  public var conclusion: [String]
  /// Why the script could not be read, if it could not.
  public var problem: String?
  /// The CR0 and CR4 bits the scenario names (its narration and statements spell them in
  /// capitals: `SMEP`, `CR0.WP`), the ones the presenter layout keeps on screen.
  public var mentionedBits: [BitInfo] = []
  /// Whether the scenario is about EFLAGS.AC (it names EFLAGS, or runs `stac`/`clac`).
  public var mentionsEFLAGSAC = false

  /// A scenario from its script.
  public init(id: String, title: String, source: String) {
    self.id = id
    self.title = title
    steps = []
    conclusion = []
    problem = nil
    switch parseScript(source) {
    case .failure(let error):
      problem = "line \(error.line), column \(error.column): \(error.message)"
    case .success(let statements):
      var narration: [String] = []
      var current: Step?
      for statement in statements {
        if case .narration(let text) = statement.command {
          if let step = current {
            steps.append(step)
            current = nil
          }
          narration.append(text)
          continue
        }
        var isCheck = false
        if case .expect = statement.command { isCheck = true }
        let line = Line(number: statement.line, text: statement.text, isCheck: isCheck)
        if current == nil {
          current = Step(narration: Narration.paragraphs(narration), lines: [])
          narration = []
        }
        current?.lines.append(line)
      }
      if let step = current { steps.append(step) }
      conclusion = Narration.paragraphs(narration)
    }
    findTopics(in: source)
  }

  /// Sets `mentionedBits` and `mentionsEFLAGSAC` from the script's words.
  private mutating func findTopics(in source: String) {
    let words = Set(source.split { !($0.isLetter || $0.isNumber) }.map(String.init))
    mentionedBits = (BitCatalog.cr0 + BitCatalog.cr4).filter { words.contains($0.mnemonic) }
    mentionsEFLAGSAC =
      words.contains { $0.hasPrefix("EFLAGS") } || words.contains("stac") || words.contains("clac")
  }

  /// The TUI's form of a built-in scenario.
  public init(_ scenario: Scenario) {
    self.init(id: scenario.id, title: scenario.title, source: scenario.source)
  }

  /// Every built-in scenario.
  public static let builtIn: [PlaybackScenario] = Scenario.all.map(PlaybackScenario.init)

  /// What the picker shows under the list: the first narration.
  public var introduction: String {
    (steps.first?.narration ?? conclusion).joined(separator: " ")
  }
}

/// A scenario being played.
public struct Playback: Equatable, Sendable {
  /// The scenario.
  public var scenario: PlaybackScenario
  /// How many steps have run.
  public var position: Int = 0
  /// How many statements of the next step have already run: predict mode runs a step's set-up
  /// (the statements before the one it asks about) before asking, so the question is put
  /// against the state the statement really runs in.
  public var linesRun: Int = 0
  /// Whether steps advance on their own.
  public var autoplay = false
  /// Milliseconds since the last autoplay step.
  public var elapsed = 0
  /// The error of a step the script language refused, if one did.
  public var failure: String?

  /// How long autoplay waits between steps.
  public static let autoplayInterval = 4_000

  /// Playback of `scenario` from its start.
  public init(scenario: PlaybackScenario) {
    self.scenario = scenario
    failure = scenario.problem
  }

  /// The next step to run, if any remain.
  public var nextStep: PlaybackScenario.Step? {
    position < scenario.steps.count ? scenario.steps[position] : nil
  }

  /// Whether every step has run.
  public var isFinished: Bool { position >= scenario.steps.count }
}

/// The one step numbering the TUI's counter, its timeline and log and the exports share: a
/// step is a narrated step (a chapter: the `#>` narration and the statements up to the next
/// one), so a nine-chapter lesson has nine steps whatever its statement count.
extension Playback {
  /// How many narrated steps have run: 0 before the first, `stepCount` once finished. The `k`
  /// of `step k/N`.
  public var stepNumber: Int { position }

  /// How many narrated steps the scenario has: the `N` of `step k/N`.
  public var stepCount: Int { scenario.steps.count }

  /// The counter as every view prints it: `step 3/9`.
  public var stepLabel: String { "step \(stepNumber)/\(stepCount)" }

  /// What the timeline and the log call the point this playback is at: `step 3/9` once step 3
  /// has run, `step 4/9 set-up` while predict mode has run only the next step's set-up.
  public var progressLabel: String {
    linesRun > 0 ? "step \(stepNumber + 1)/\(stepCount) set-up" : stepLabel
  }
}
