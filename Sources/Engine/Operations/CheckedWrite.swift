/// What one checked register write inside KVM found: the rules that refused it and notes on
/// what KVM did silently. No rules: the write happened.
struct CheckedWrite {
  var rules = RuleList()
  var notes: [String] = []
  /// VTL1 dropped the write: nothing changed, no fault.
  var dropped = false

  /// Whether the write happened.
  var succeeded: Bool { rules.isEmpty }

  /// The verdict a failed write gives: `dropped` when VTL1 dropped it, else `failure`.
  func kind(failure: OutcomeKind) -> OutcomeKind {
    dropped ? .dropped : succeeded ? .ok : failure
  }

  mutating func fail(_ id: RuleID, _ message: String) {
    rules.append(RuleHit(id, message))
  }
}

extension Outcome {
  /// Takes in a checked write's rules and notes; a refused write makes the outcome `failure`.
  mutating func absorb(_ write: CheckedWrite, failure: OutcomeKind) {
    if !write.rules.isEmpty { rules += write.rules.array }
    for note in write.notes where !notes.contains(note) { notes.append(note) }
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
