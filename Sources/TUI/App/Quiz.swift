import Engine
import Script

/// Predict mode (`crpin tui --scenario NAME --quiz`): before each scenario step's outcome
/// shows, the room says what it will be; then the answer and a running score.
public struct Quiz: Equatable, Sendable {
  /// One answered question.
  public struct Verdict: Equatable, Sendable {
    /// The statement whose outcome was asked for.
    public var statement: String
    /// What the room said.
    public var predicted: Prediction
    /// What happened.
    public var actual: Prediction

    /// Whether the room was right.
    public var isRight: Bool { predicted == actual }
  }

  /// Questions answered right.
  public var correct = 0
  /// Questions answered.
  public var answered = 0
  /// The last answer, shown until the next step.
  public var last: Verdict?

  /// A quiz with no answers yet.
  public init() {}

  /// Counts an answer.
  mutating func record(_ verdict: Verdict) {
    answered += 1
    if verdict.isRight { correct += 1 }
    last = verdict
  }
}

/// What a step can end in, as the room predicts it: the outcome words, plus the kernel write
/// that native pinning put back.
public enum Prediction: String, CaseIterable, Equatable, Sendable {
  case ok, gp, ud, pf, exit, dropped, rejected, stopped, restored

  /// The key that predicts it.
  public var key: Character {
    switch self {
    case .ok: "o"
    case .gp: "g"
    case .ud: "u"
    case .pf: "f"
    case .exit: "x"
    case .dropped: "d"
    case .rejected: "r"
    case .stopped: "s"
    case .restored: "w"
    }
  }

  /// How it is written.
  public var label: String {
    switch self {
    case .ok: "ok"
    case .gp: "#GP"
    case .ud: "#UD"
    case .pf: "#PF"
    case .exit: "VM exit"
    case .dropped: "dropped"
    case .rejected: "rejected"
    case .stopped: "stopped"
    case .restored: "restored+warned"
    }
  }

  /// What a statement's record says happened.
  init?(_ record: StepRecord) {
    guard let cell = OutcomeCell(record) else { return nil }
    switch cell {
    case .restored: self = .restored
    case .forced, .rewritten, .read, .hypercall, .ended(.ok): self = .ok
    case .ended(.gp): self = .gp
    case .ended(.ud): self = .ud
    case .ended(.pf): self = .pf
    case .ended(.exit): self = .exit
    case .ended(.dropped): self = .dropped
    case .ended(.rejected): self = .rejected
    case .ended(.stopped): self = .stopped
    }
  }
}

extension PlaybackScenario.Step {
  /// Where the statement a quiz asks about is: the step's last action (its expects are checks).
  /// The statements before it are the question's set-up.
  var questionIndex: Int? {
    lines.lastIndex { !$0.isCheck && !$0.text.lowercased().hasPrefix("vcpu") }
  }

  /// The statement a quiz asks about.
  var questionLine: PlaybackScenario.Line? { questionIndex.map { lines[$0] } }
}

extension Prediction {
  /// The prediction's name on the key bar, short enough for all nine and `? help` `q quit` to
  /// fit in 80 columns.
  var barLabel: String {
    switch self {
    case .ok: "ok"
    case .gp: "#GP"
    case .ud: "#UD"
    case .pf: "#PF"
    case .exit: "exit"
    case .dropped: "drop"
    case .rejected: "reject"
    case .stopped: "stop"
    case .restored: "restore"
    }
  }
}
