import Engine
import Script

extension AppState {
  /// `M`: the picker of the designs, on the one in force.
  mutating func openMechanismPicker() {
    mode = .mechanismPicker(selection: Mechanism.allCases.firstIndex(of: vm.options.mechanism) ?? 0)
  }

  /// The picker: ↑↓ choose, Enter re-boots the guest under the choice, Esc or `M` closes.
  mutating func mechanismPickerKey(_ key: Key, selection: Int) -> [Effect] {
    let last = Mechanism.allCases.count - 1
    let command = OverlayKeymap.command(for: key, in: .mechanismPicker)
    switch command {
    case .close?: mode = .normal
    case .confirm?:
      mode = .normal
      return rebootGuest(under: Mechanism.allCases[min(max(selection, 0), last)])
    default:
      if let row = Self.row(selection, after: command, count: last + 1) {
        mode = .mechanismPicker(selection: row)
      }
    }
    return []
  }

  /// The guest re-booted under `mechanism`, as `crpin compare` starts each column:
  /// `option mechanism NAME`, `reboot`, then `boot` on every vCPU — one step of the history,
  /// one log entry saying what happened.
  mutating func rebootGuest(under mechanism: Mechanism) -> [Effect] {
    var pending = PendingStep(from: session)
    let shown = vcpu
    do {
      try run(.mechanism(mechanism), on: nil, in: &pending)
      try run(.reboot(keepPins: false), on: nil, in: &pending)
      for index in vm.vcpus.indices { try run(.boot, on: index, in: &pending) }
      if pending.session.selectedVCPU != shown { try run("vcpu \(shown)", on: nil, in: &pending) }
    } catch {
      message = StatusMessage("cannot re-boot under \(mechanism.rawValue): \(error.message)", isError: true)
      return []
    }
    commit(pending, loggedAs: Self.rebootEntry(mechanism, records: pending.records))
    message = StatusMessage("the guest re-booted under \(mechanism.rawValue)")
    return isRecording ? [.record(pending.lines)] : []
  }

  /// The log entry of a re-boot under `mechanism`: the design, and each vCPU's boot that
  /// did not end `ok` (heki's per-VM locks stop the second vCPU's early boot, for one).
  static func rebootEntry(_ mechanism: Mechanism, records: [StepRecord]) -> LogEntry {
    let boots = records.filter { $0.action == .boot }
    let failed = boots.filter { $0.outcome?.kind.isFailure == true }
    let vcpus = boots.count == 1 ? "vCPU 0" : "vCPUs 0-\(boots.count - 1)"
    var entry = LogEntry(
      number: 0, vcpu: nil, actor: .actor(.host), statement: "option mechanism \(mechanism.rawValue)",
      outcome: failed.first?.outcome?.kind ?? .ok)
    entry.details = [
      LogEntry.Detail(
        "M: the guest re-booted under \(mechanism.rawValue) — reboot, then the Linux boot path on \(vcpus)",
        .normal),
      LogEntry.Detail(mechanism.summary, .dim),
    ]
    for record in failed {
      guard let outcome = record.outcome else { continue }
      let rules = outcome.rules.map { "\($0.id.rawValue): \($0.message)" }.joined(separator: "; ")
      entry.details.append(
        LogEntry.Detail("vCPU \(record.vcpu) boot → \(outcome.kind.display): \(rules)", .alarm))
    }
    return entry
  }
}
