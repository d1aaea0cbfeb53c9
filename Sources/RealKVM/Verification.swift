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
  /// Why statements were not run on the real KVM, and how often.
  public private(set) var notRunReasons: [String: Int] = [:]
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
      if case .notRun(let reason) = agreement { notRunReasons[reason, default: 0] += 1 }
      guard case .differ(_, let explanation) = agreement, explanation != .followsEarlierDifference else {
        continue
      }
      let signature = Self.signature(step, explanation)
      if let known = divergences.firstIndex(where: { $0.signature == signature }) {
        divergences[known].occurrences += 1
        continue
      }
      let shrunk =
        shrink(Array(lines[...index]), signature: signature) ?? Self.unshrunk(lines[...index], step)
      divergences.append(
        Divergence(
          signature: signature, script: shrunk.script, differences: shrunk.differences,
          hostProperty: shrunk.property, occurrences: 1))
    }
    summary.add(dual.summary)
  }

  /// The operation without its values: `mov cr4`, `wrmsr EFER`, `host sregs cr0 cr4`.
  static func operation(_ action: Action) -> String {
    if case .hostSregs(let cr0, let cr3, let cr4, let efer) = action {
      let fields = [("cr0", cr0), ("cr3", cr3), ("cr4", cr4), ("efer", efer)].filter { $0.1 != nil }
      return "host sregs " + fields.map(\.0).joined(separator: " ")
    }
    return String(StatementText.of(action, under: .kvm2020).split(separator: ",")[0])
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
    let operation = step.record.action.map(Self.operation) ?? step.record.op
    return "\(why) \(operation) \(step.record.outcome?.kind.display ?? "-")/\(step.real?.display ?? "-")"
  }

  /// The first divergence of the kind `signature` in `lines` (follow-ons and other kinds are
  /// passed over), with its index and step.
  func firstDivergence(_ lines: [String], signature: String) -> (index: Int, step: DualStep)? {
    var dual = DualSession(real: real)
    for statement in Self.parse(lines) {
      guard let step = try? dual.run(statement), let agreement = step.agreement else { continue }
      guard case .differ(_, let explanation) = agreement, explanation != .followsEarlierDifference else {
        continue
      }
      if Self.signature(step, explanation) == signature { return (statement.line - 1, step) }
    }
    return nil
  }

  /// Deletes statements one at a time while the script still has a divergence of the kind
  /// `signature`, cutting it after that divergence each time, until no single statement can be
  /// removed. nil when `lines` do not reproduce it from a fresh boot.
  func shrink(_ lines: [String], signature: String) -> Shrunk? {
    var current = lines
    guard var found = firstDivergence(current, signature: signature) else { return nil }
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
    return Self.unshrunk(current[...], found.step)
  }

  /// A script, the differences on its last statement, and the host property behind them.
  typealias Shrunk = (script: [String], differences: [String], property: String?)

  /// `lines` as they are, ending in `step`'s divergence.
  static func unshrunk(_ lines: ArraySlice<String>, _ step: DualStep) -> Shrunk {
    guard case .differ(let differences, let explanation)? = step.agreement else {
      return (Array(lines), [], nil)
    }
    if case .hostProperty(let id)? = explanation { return (Array(lines), differences, id) }
    return (Array(lines), differences, nil)
  }
}
