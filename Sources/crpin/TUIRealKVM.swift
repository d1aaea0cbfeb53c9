import Engine
import RealKVM
import Script
import TUI

/// `crpin tui --kvm`: the real vCPU next to the TUI's model. The TUI stays pure: each step it
/// takes comes here as a `RealKVMRequest` (its transcript lines), runs on a `DualSession` — a
/// model started as the TUI's was, and the real vCPU, compared as `crpin run --kvm` compares —
/// and goes back as a `RealKVMReport` of verdicts for the step's log entries.
///
/// The real vCPU cannot go back in time: when the TUI's history moves (undo, redo, a timeline
/// jump) or a scenario starts, it is reset and booted next to a fresh model and the point's
/// transcript is replayed on both — up to `replayLimit` statements; beyond that only the model
/// replays them and the two are marked apart until a `reset` or `boot` on which they agree.
struct TUIRealKVM {
  /// The most statements a history move replays on the real vCPU (about 0.15 s in a debug
  /// build on this project's machines; a `boot` costs about ten times a `mov`).
  static let replayLimit = 1_000

  let real: RealVCPU
  private var dual: DualSession
  /// Why the model here lost step with the TUI's (a statement it refused), until a restart.
  private var lost: String?

  /// Resets and boots the real vCPU next to a freshly booted model.
  init(real: RealVCPU) {
    self.real = real
    dual = DualSession(real: real)
  }

  /// What the mode line shows, and the options the TUI's model starts with.
  var info: RealKVMInfo { RealKVMInfo(module: real.host.module, options: real.host.comparisonOptions) }

  /// A difference between the model's and the real start state after boot, if any.
  var startDifference: String? { dual.startDifference }

  /// Runs `request` on the real vCPU (and this side's model) and says what it did.
  mutating func perform(_ request: RealKVMRequest) -> RealKVMReport {
    var notes: [String] = []
    var isError = false
    var modelOnly = false
    if let reason = request.restart {
      dual = DualSession(real: real)
      lost = nil
      let count = request.statements.count
      modelOnly = count > Self.replayLimit
      if modelOnly {
        notes.append(
          "real KVM (\(reason)): reset and booted, but \(count) statements are more than "
            + "\(Self.replayLimit) to replay: apart from the model until a reset or boot agrees")
        isError = true
      } else {
        notes.append("real KVM: fresh boot, \(count) replayed")
      }
      if let start = dual.startDifference {
        notes.append("real KVM: start states differ: \(start)")
        isError = true
      }
    }
    var results: [RealKVMResult] = []
    for statement in request.statements {
      if let lost {
        if let entry = statement.entry {
          results.append(
            RealKVMResult(
              entry: entry,
              verdict: RealKVMVerdict(statement: statement.text, outcome: "not run", agreement: .notRun(lost))
            ))
        }
        continue
      }
      do throws(ScriptError) {
        let parsed = try parseScript(statement.text, initialVCPUs: dual.session.vm.vcpus.count).get()
        for line in parsed {
          if modelOnly {
            try dual.runOnModelOnly(line)
            continue
          }
          guard let step = try dual.run(line) else { continue }
          if let entry = statement.entry, let verdict = Self.verdict(step, host: real.host) {
            results.append(RealKVMResult(entry: entry, verdict: verdict))
          }
        }
      } catch {
        let reason = "the real vCPU lost step with the model at `\(statement.text)` (\(error.message)); "
        lost = reason + "undo or a scenario start resets it"
        notes.append("real KVM: " + reason + "undo or a scenario start resets it")
        isError = true
        if let entry = statement.entry {
          results.append(
            RealKVMResult(
              entry: entry,
              verdict: RealKVMVerdict(
                statement: statement.text, outcome: "not run", agreement: .notRun(reason))))
        }
      }
    }
    return RealKVMReport(
      results: results, message: notes.isEmpty ? nil : notes.joined(separator: "; "), isError: isError)
  }

  /// The TUI's verdict for a step that ran on both; nil when there was nothing to compare.
  static func verdict(_ step: DualStep, host: HostIdentity) -> RealKVMVerdict? {
    guard let real = step.real, let agreement = step.agreement else { return nil }
    var outcome = real.display
    if let value = real.value { outcome += " = " + Hex.short(value) }
    let converted: RealKVMVerdict.Agreement
    switch agreement {
    case .agree: converted = .agree
    case .notRun(let reason): converted = .notRun(reason)
    case .differ(let differences, let explanation):
      switch explanation {
      case .hostProperty(let id)?:
        let summary = host.knownProperties.first { $0.id == id }?.summary ?? ""
        converted = .differ(differences, explanation: .hostProperty(id: id, summary: summary))
      case .followsEarlierDifference?:
        converted = .differ(differences, explanation: .followsEarlierDifference)
      case nil:
        converted = .differ(differences, explanation: nil)
      }
    }
    return RealKVMVerdict(statement: step.record.text, outcome: outcome, agreement: converted)
  }
}
