import Engine
import Script

/// What the compare pane shows: the session's transcript replayed under every mechanism — each
/// column a guest booted under its mechanism, then the same statements (as `crpin compare`
/// runs a script) — so the cursor bit can be previewed under each; and, while a scenario
/// plays, that scenario's matrix.
public struct CompareColumns: Sendable {
  /// The transcript under every mechanism.
  public let replay: Comparison
  /// How many statements were replayed.
  public let statements: Int
  /// The first transcript line that sets the mechanism itself (after it the columns agree).
  public let setsMechanismAt: Int?
  /// The scenario's matrix, while one plays.
  public let matrix: Comparison?
  /// The scenario's statements run so far (rows up to this line have happened).
  public let playedThroughLine: Int

  /// Replays `transcript` under every mechanism; with `playback`, the scenario's matrix too.
  init?(transcript: Transcript, playback: Playback?) {
    guard case .success(let replay) = Comparison.run(transcript.text) else { return nil }
    self.replay = replay
    statements = transcript.lines.count
    setsMechanismAt =
      transcript.lines.firstIndex { $0.lowercased().hasPrefix("option mechanism") }.map { $0 + 1 }
    if let playback, let scenario = Scenario.named(playback.scenario.id),
      case .success(let matrix) = Comparison.run(scenario.source)
    {
      self.matrix = matrix
      let played = playback.scenario.steps.prefix(playback.position)
      playedThroughLine = played.last?.lines.last?.number ?? 0
    } else {
      matrix = nil
      playedThroughLine = 0
    }
  }

  /// One mechanism's answer for a bit: its value, how it is held, and what toggling it would do.
  public struct BitPreview: Sendable {
    public let mechanism: Mechanism
    /// The bit's value in that column.
    public let value: Bool
    /// `pinned high`, `pinned low`, `intercepted`, `free`, `-`.
    public let hold: String
    /// A guest MOV toggling it: the outcome and its first rule.
    public let mov: (kind: OutcomeKind, rule: String?)
    /// The kernel's `native_write_crN()` toggling it, as `crpin compare` words it.
    public let kernelWrite: String
    /// Whether the column's VM stopped.
    public let stopped: Bool
  }

  /// The cursor bit under every mechanism, on vCPU `vcpu` (or 0 where it does not exist).
  func previews(_ cursor: BitCursor, vcpu: Int) -> [BitPreview] {
    zip(replay.mechanisms, replay.finals).map { mechanism, vm in
      let index = vm.vcpus.indices.contains(vcpu) ? vcpu : 0
      let register = cursor.register
      let current = vm.vcpus[index].registers[register.controlRegister.register]
      let mov = vm.preview(.mov(register.controlRegister, current ^ cursor.mask), on: index)
      let kernelAction = Action.kernelWrite(register, current ^ cursor.mask)
      let kernel = vm.preview(kernelAction, on: index)
      let record = StepRecord(
        line: 0, text: "", vcpu: index, action: kernelAction, outcome: kernel, expectation: nil, op: "")
      return BitPreview(
        mechanism: mechanism, value: current & cursor.mask != 0,
        hold: Self.hold(vm, index: index, cursor: cursor),
        mov: (mov.kind, mov.rules.first?.id.rawValue),
        kernelWrite: OutcomeCell.text(for: record) ?? kernel.kind.display, stopped: vm.stopped)
    }
  }

  private static func hold(_ vm: VirtualMachine, index: Int, cursor: BitCursor) -> String {
    if vm.options.pinning == .vtl1 {
      return vm.vcpus[index].vtl1Intercept[cursor.register] & cursor.mask != 0
        ? "intercepted (\(vm.vtl1Policy.rawValue))" : "not intercepted"
    }
    guard vm.options.pinning != .absent else {
      return vm.nativePinningActive && cursor.register == .cr4
        && (vm.nativePinnedCR4 ?? 0) & cursor.mask != 0 ? "native pin" : "-"
    }
    guard let bit = cursor.bit else { return "-" }
    switch vm.effectivePins(on: index).state(of: bit) {
    case .high: return "pinned high"
    case .low: return "pinned low"
    case .free: return vm.pinAllowed(cursor.register, on: index) & cursor.mask != 0 ? "free" : "not pinnable"
    }
  }
}
