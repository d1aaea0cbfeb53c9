import Engine
import Script

/// `crpin verify`: random scripts on the model and on the real KVM; every divergence shrunk to
/// a shortest script that still reproduces it.
public struct Verification {
  /// A divergence, shrunk.
  public struct Divergence: Sendable {
    /// What kind it is: the explanation, the operation and both outcomes.
    public let signature: String
    /// The shortest script found that reproduces it (its last statement differs).
    public let script: [String]
    /// The differences on that last statement.
    public let differences: [String]
    /// The known host property that explains it, or nil (unexplained).
    public let hostProperty: String?
    /// How many times the generated scripts ran into this kind.
    public var occurrences: Int
  }

  /// The counts over every statement run.
  public private(set) var summary = AgreementSummary()
  /// Scripts run.
  public private(set) var scripts = 0
  /// Each kind of divergence once, in the order first met.
  public private(set) var divergences: [Divergence] = []
  /// Start-state differences after boot (there should be none).
  public private(set) var startDifferences: [String] = []

  private let real: RealVCPU

  public init(real: RealVCPU) { self.real = real }

  /// Runs one generated script and shrinks each new kind of divergence in it.
  public mutating func check(_ lines: [String]) {
    scripts += 1
    var dual = DualSession(real: real)
    if let start = dual.startDifference { startDifferences.append(start) }
    for statement in Self.parse(lines) {
      let index = statement.line - 1
      guard let step = try? dual.run(statement), let agreement = step.agreement else { continue }
      guard case .differ(_, let explanation) = agreement, explanation != .followsEarlierDifference else {
        continue
      }
      let signature = Self.signature(step, explanation)
      if let known = divergences.firstIndex(where: { $0.signature == signature }) {
        divergences[known].occurrences += 1
        continue
      }
      let shrunk = shrink(Array(lines[...index]), signature: signature)
      divergences.append(
        Divergence(
          signature: signature, script: shrunk.script, differences: shrunk.differences,
          hostProperty: shrunk.property, occurrences: 1))
    }
    summary.add(dual.summary)
  }

  /// The statements of generated lines (line N is `lines[N - 1]`); none if they do not parse.
  static func parse(_ lines: [String]) -> [ParsedStatement] {
    (try? parseScript(lines.joined(separator: "\n")).get()) ?? []
  }

  /// `pvm.cr4-ignores-cpuid mov cr4 #GP/ok`: what makes two divergences the same kind.
  static func signature(_ step: DualStep, _ explanation: Agreement.Explanation?) -> String {
    let why: String =
      switch explanation {
      case .hostProperty(let id)?: id
      default: "unexplained"
      }
    let operation = step.record.action.map { String($0.statement.split(separator: ",")[0]) } ?? step.record.op
    return "\(why) \(operation) \(step.record.outcome?.kind.display ?? "-")/\(step.real?.display ?? "-")"
  }

  /// The first statement where `lines` differ, with its step, if that divergence is of the kind
  /// `signature`.
  func firstDivergence(_ lines: [String], signature: String) -> (index: Int, step: DualStep)? {
    var dual = DualSession(real: real)
    for statement in Self.parse(lines) {
      guard let step = try? dual.run(statement), let agreement = step.agreement else { continue }
      guard case .differ(_, let explanation) = agreement else { continue }
      return Self.signature(step, explanation) == signature ? (statement.line - 1, step) : nil
    }
    return nil
  }

  /// Deletes statements one at a time while the script's first divergence is still of the kind
  /// `signature`, cutting it after that divergence each time, until no single statement can be
  /// removed.
  func shrink(_ lines: [String], signature: String) -> (
    script: [String], differences: [String], property: String?
  ) {
    var current = lines
    var found = firstDivergence(current, signature: signature)
    var removed = true
    while removed {
      removed = false
      var index = 0
      while index < current.count - 1 {
        var candidate = current
        candidate.remove(at: index)
        if let divergence = firstDivergence(candidate, signature: signature) {
          current = Array(candidate[...divergence.index])
          found = divergence
          removed = true
        } else {
          index += 1
        }
      }
    }
    guard let found, case .differ(let differences, let explanation) = found.step.agreement else {
      return (current, [], nil)
    }
    if case .hostProperty(let id)? = explanation { return (current, differences, id) }
    return (current, differences, nil)
  }
}

extension AgreementSummary {
  mutating func add(_ other: AgreementSummary) {
    statements += other.statements
    agree += other.agree
    differ += other.differ
    explained += other.explained
    notRun += other.notRun
  }
}
