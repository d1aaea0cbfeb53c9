/// Where a checked register write reports what its checks find.
///
/// The checks (`setCR0`, `setCR4`, the pin MSRs, the seam's designs) are written once, generic
/// over their report, and the compiler specializes them for each of the two reports:
/// `CheckedWrite` keeps every rule and note for an outcome's explanation; `WriteVerdict` keeps
/// only whether the write was refused or dropped, for `step`. A rule's sentence is an
/// autoclosure, so the verdict's specialization never builds a rule nor formats text, and
/// everything a check does only to explain (`explains` is false) is skipped.
protocol WriteReport {
  /// Whether this report keeps rules and notes (false: only the verdict).
  static var explains: Bool { get }
  /// Nothing found yet.
  init()
  /// Whether a rule has fired: the write did not happen.
  var refused: Bool { get }
  /// VTL1 dropped the write: nothing changed, no fault.
  var dropped: Bool { get set }
  /// The write changed only guest-owned bits and never exited to KVM.
  mutating func settledWithoutExit()
  /// A rule fired.
  mutating func rule(_ hit: @autoclosure () -> RuleHit)
  /// Something KVM did silently, or a caveat of the model.
  mutating func note(_ text: @autoclosure () -> String)
}

extension WriteReport {
  /// The verdict a failed write gives: `dropped` when VTL1 dropped it, else `failure`.
  func kind(failure: OutcomeKind) -> OutcomeKind {
    dropped ? .dropped : refused ? failure : .ok
  }

  /// A rule fired, explained by `message`.
  mutating func fail(_ id: RuleID, _ message: @autoclosure () -> String) {
    rule(RuleHit(id, message()))
  }
}

/// What one checked register write inside KVM found: the rules that refused it and notes on
/// what KVM did silently. No rules: the write happened.
struct CheckedWrite: WriteReport {
  static var explains: Bool { true }
  var rules: [RuleHit] = []
  var notes: [String] = []
  var dropped = false
  /// The write changed only guest-owned bits: no check in KVM saw it.
  var withoutExit = false

  /// Whether the write happened.
  var succeeded: Bool { rules.isEmpty }
  var refused: Bool { !rules.isEmpty }

  mutating func rule(_ hit: @autoclosure () -> RuleHit) { rules.append(hit()) }
  mutating func note(_ text: @autoclosure () -> String) { notes.append(text()) }
  mutating func settledWithoutExit() { withoutExit = true }
}

/// Only whether a checked write was refused or dropped: what `step` needs, at the cost of a
/// few bit tests.
struct WriteVerdict: WriteReport {
  static var explains: Bool { false }
  private(set) var refused = false
  var dropped = false

  mutating func rule(_ hit: @autoclosure () -> RuleHit) { refused = true }
  mutating func note(_ text: @autoclosure () -> String) {}
  mutating func settledWithoutExit() {}
}

extension Outcome {
  /// Takes in a checked write's rules and notes; a refused write makes the outcome `failure`.
  mutating func absorb(_ write: CheckedWrite, failure: OutcomeKind) {
    // Taken over whole when the outcome has none yet (the usual case): no second array.
    if rules.isEmpty { rules = write.rules } else { rules += write.rules }
    if notes.isEmpty, write.notes.count <= 1 {
      notes = write.notes
    } else {
      for note in write.notes where !notes.contains(note) { notes.append(note) }
    }
    if write.dropped {
      kind = .dropped
    } else if !write.succeeded {
      kind = failure
    }
  }

  /// Fails the outcome with one rule.
  mutating func fail(_ kind: OutcomeKind, _ id: RuleID, _ message: String) {
    self.kind = kind
    rules.append(RuleHit(id, message))
  }
}
