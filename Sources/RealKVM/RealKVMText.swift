/// Short texts about real outcomes, shared by the reports.
enum RealKVMText {
  /// `#GP (boot step 3, mov cr3, 0x2a0a000: #GP)`.
  static func outcome(_ outcome: RealOutcome) -> String {
    outcome.display + (outcome.note.map { " (\($0))" } ?? "")
  }
}
