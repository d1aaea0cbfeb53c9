import Engine
import Script

/// What the compare pane shows: the session's transcript replayed under every mechanism — each
/// column a guest booted under its mechanism, then the same statements (as `crpin compare`
/// runs a script) — so the cursor bit can be previewed under each; and, while a scenario
/// plays, that scenario's matrix.
public struct CompareColumns: Sendable {
  /// The transcript under every mechanism (its rows and final VMs: no records are kept).
  public let replay: Comparison
  /// How many statements were replayed.
  public let statements: Int
  /// The first transcript line that sets the mechanism itself (after it the columns agree).
  public let setsMechanismAt: Int?
  /// The scenario's matrix, while one plays.
  public let matrix: Comparison?
  /// The scenario's statements run so far (rows up to this line have happened).
  public let playedThroughLine: Int

  /// The columns of a finished job, with `playback`'s progress through its scenario.
  init(_ computed: CompareJob.Result, playback: Playback?) {
    replay = computed.replay
    statements = computed.key.lines.count
    setsMechanismAt =
      computed.key.lines.firstIndex { $0.lowercased().hasPrefix("option mechanism") }.map { $0 + 1 }
    matrix = computed.matrix
    if let playback, computed.matrix != nil {
      let played = playback.scenario.steps.prefix(playback.position)
      playedThroughLine = played.last?.lines.last?.number ?? 0
    } else {
      playedThroughLine = 0
    }
  }

  /// How a column holds the cursor bit.
  public enum Hold: Equatable, Sendable {
    case pinnedHigh, pinnedLow, free, notPinnable
    /// The design intercepts writes to it (VTL1, Xen's monitor), under `policy` in its words.
    case intercepted(policy: String)
    case notIntercepted
    /// Native pinning (Linux 5.3+) holds it in the kernel.
    case nativePin
    /// Nothing holds it (no pinning at all).
    case nothing

    /// Whether something holds the bit where it is.
    public var holds: Bool {
      switch self {
      case .pinnedHigh, .pinnedLow, .intercepted, .nativePin: true
      case .free, .notPinnable, .notIntercepted, .nothing: false
      }
    }

    /// The words the pane shows.
    public var text: String {
      switch self {
      case .pinnedHigh: "pinned high"
      case .pinnedLow: "pinned low"
      case .free: "free"
      case .notPinnable: "not pinnable"
      case .intercepted(let policy): "intercepted (\(policy))"
      case .notIntercepted: "not intercepted"
      case .nativePin: "native pin"
      case .nothing: "-"
      }
    }
  }

  /// One mechanism's answer for a bit: its value, how it is held, and what toggling it would do.
  public struct BitPreview: Sendable {
    public let mechanism: Mechanism
    /// The bit's value in that column.
    public let value: Bool
    /// What holds it.
    public let hold: Hold
    /// A guest MOV toggling it: the outcome, its first rule, and what that did for the defences.
    public let mov: (kind: OutcomeKind, rule: String?, defence: Defence)
    /// The kernel's `native_write_crN()` toggling it, as `crpin compare` has it, and what that
    /// did for the defences.
    public let kernelWrite: (cell: OutcomeCell, defence: Defence)
    /// Whether the column's VM stopped.
    public let stopped: Bool
  }

  /// The cursor bit under every mechanism, on vCPU `vcpu` (or 0 where it does not exist).
  func previews(_ cursor: BitCursor, vcpu: Int) -> [BitPreview] {
    zip(replay.mechanisms, replay.finals).map { mechanism, vm in
      let index = vm.vcpus.indices.contains(vcpu) ? vcpu : 0
      let register = cursor.register
      let current = vm.vcpus[index].registers[register.controlRegister.register]
      let movAction = Action.mov(register.controlRegister, current ^ cursor.mask)
      let mov = vm.preview(movAction, on: index)
      let kernelAction = Action.kernelWrite(register, current ^ cursor.mask)
      let kernel = vm.preview(kernelAction, on: index)
      let record = StepRecord(
        line: 0, text: "", vcpu: index, action: kernelAction, outcome: kernel, expectation: nil, op: "")
      return BitPreview(
        mechanism: mechanism, value: current & cursor.mask != 0,
        hold: Self.hold(vm, index: index, cursor: cursor),
        mov: (mov.kind, mov.rules.first?.id.rawValue, Defence(movAction, mov, vcpu: index)),
        kernelWrite: (
          OutcomeCell(record) ?? .ended(kernel.kind), Defence(kernelAction, kernel, vcpu: index)
        ),
        stopped: vm.stopped)
    }
  }

  /// What the cell of the scenario matrix at `row`, `column` did for the defences.
  func defence(row: Comparison.Row, column: Int) -> Defence {
    guard let matrix, matrix.cellRecords.indices.contains(column),
      let record = matrix.cellRecords[column][row.line], let action = record.action,
      let outcome = record.outcome
    else { return .neutral }
    // An RSM is measured against the registers before the SMI that entered SMM (which cleared
    // CR4): did the SMRAM edit win?
    var baseline: Registers?
    if action == .rsm,
      let smi = matrix.cellRecords[column].values.filter({ $0.line < row.line && $0.action == .smi })
        .max(by: { $0.line < $1.line }),
      let before = smi.outcome?.before, before.vcpus.indices.contains(smi.vcpu)
    {
      baseline = before.vcpus[smi.vcpu].registers
    }
    return Defence(action, outcome, vcpu: record.vcpu, baseline: baseline)
  }

  private static func hold(_ vm: VirtualMachine, index: Int, cursor: BitCursor) -> Hold {
    Presentation.of(vm).compareHold(vm, vcpu: index, cursor: cursor)
  }
}

/// What a step did for the defences — the security meaning the compare pane colours by, not the
/// CPU's outcome: a #GP is the defence holding, an `ok` that clears SMEP is it losing.
public enum Defence: Equatable, Sendable {
  /// The attack was stopped: refused (#GP, #PF, dropped, rejected, the VM stopped) or undone
  /// (native pinning restored the bit, KVM forced it back on VM-exit, RSM rewrote SMRAM).
  case held
  /// The attack worked: a protection bit (CR0.WP, CR4.SMEP, SMAP, UMIP) went off, or the payload
  /// in user memory ran.
  case lost
  /// Not an attack (setting a bit, the VMM's own writes, booting), or nothing ran.
  case neutral

  /// The bits that protect something (`BitInfo.protects`): turning one off is what an attack
  /// wants.
  static let protection = (
    cr0: BitCatalog.cr0.filter { !$0.protects.isEmpty }.reduce(UInt64(0)) { $0 | $1.mask },
    cr4: BitCatalog.cr4.filter { !$0.protects.isEmpty }.reduce(UInt64(0)) { $0 | $1.mask }
  )

  /// What `action`, run on vCPU `vcpu` with `outcome`, did for the defences. A guest's or the
  /// kernel's CR write is an attack when it clears a protection bit that is set; an SMM return,
  /// a VM-exit or a guest MSR write or hypercall when a protection bit goes off (or it was
  /// refused or undone); running code in or touching user memory is one always. A protection
  /// bit goes off when it was on before the step (or in `baseline`, when given) and is off
  /// after.
  init(_ action: Action, _ outcome: Outcome, vcpu: Int, baseline: Registers? = nil) {
    let before = outcome.before.vcpus.indices.contains(vcpu) ? outcome.before.vcpus[vcpu].registers : nil
    let after = outcome.after.vcpus.indices.contains(vcpu) ? outcome.after.vcpus[vcpu].registers : nil
    let dropped: Bool
    if let reference = baseline ?? before, let after {
      dropped =
        reference.cr0 & ~after.cr0 & Self.protection.cr0 != 0
        || reference.cr4 & ~after.cr4 & Self.protection.cr4 != 0
    } else {
      dropped = false
    }
    let undone =
      outcome.kind.isFailure || (outcome.forced.map { $0.cr0 | $0.cr4 != 0 } ?? false)
      || outcome.layers.contains { $0.restoredBits != nil }
    switch action {
    case .execUser, .accessUser:
      self = outcome.kind.isFailure ? .held : .lost
    case .mov(let register, let value):
      let mask = register == .cr0 ? Self.protection.cr0 : register == .cr4 ? Self.protection.cr4 : 0
      let attempted = before.map { $0[register.register] & ~value & mask != 0 } ?? false
      self = !attempted ? .neutral : outcome.kind.isFailure || !dropped ? .held : .lost
    case .kernelWrite(let register, let value):
      let mask = register == .cr0 ? Self.protection.cr0 : Self.protection.cr4
      let attempted = before.map { $0[register.controlRegister.register] & ~value & mask != 0 } ?? false
      self = !attempted ? .neutral : outcome.kind.isFailure || !dropped ? .held : .lost
    case .rsm, .vmexit, .wrmsr, .hypercallLockCR:
      // RSM that did not reload what the SMRAM image held: the hypervisor rewrote it.
      let image = outcome.before.vcpus.indices.contains(vcpu) ? outcome.before.vcpus[vcpu].smm?.image : nil
      let rewritten = action == .rsm && image.map { $0.cr0 != after?.cr0 || $0.cr4 != after?.cr4 } ?? false
      self = outcome.kind.isFailure ? .held : dropped ? .lost : undone || rewritten ? .held : .neutral
    default:
      self = .neutral
    }
  }
}
