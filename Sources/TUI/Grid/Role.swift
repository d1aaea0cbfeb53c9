/// What a cell means, not how it looks. Themes map each role to colours and attributes,
/// the way htop indexes its colour schemes by semantic role, so every state stays
/// distinguishable in monochrome (where only bold, reverse, underline and dim exist).
public enum Role: UInt8, CaseIterable, Sendable {
  /// Ordinary text.
  case normal
  /// Secondary text: reserved bits, hints, separators.
  case dim
  /// Panel borders.
  case border
  /// Panel titles and headings.
  case title
  /// A bit that is set.
  case bitSet
  /// A bit that is clear.
  case bitClear
  /// A bit pinned high or low by the hypervisor.
  case pinned
  /// The cell under the cursor.
  case cursor
  /// The cell under the cursor when acting on it now would fault.
  case cursorAlarm
  /// Faults and failures: #GP, #UD, VM exit, rejected.
  case alarm
  /// Success.
  case success
  /// Warnings and notes: native pinning's restore, discrepancies.
  case warning
  /// The mode line and key bar.
  case statusBar
  /// Highlighted key names in the key bar and help.
  case key
  /// A marker beside a bit the last step changed (↑ set, ↓ cleared, ↕ put back).
  case changed
  /// The rule a fault tripped, and its message: the reason for a #GP, readable from the back
  /// of a room (never dim).
  case rule
  /// In the compare pane: the defence held (the attack was stopped: #GP, dropped, restored).
  case held
  /// In the compare pane: the defence was lost (the attack worked).
  case lost
}
