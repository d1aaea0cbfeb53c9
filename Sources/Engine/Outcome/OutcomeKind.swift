/// How an action ended, in one word.
public enum OutcomeKind: String, CaseIterable, Sendable, Codable {
  /// It happened.
  case ok
  /// The guest took a general-protection fault; nothing changed.
  case gp
  /// The guest took an invalid-opcode exception (a failed RSM in L2 runs on after it).
  case ud
  /// KVM exited to the VMM with an internal error; the VM is stopped.
  case exit
  /// The VMM's ioctl was refused, or the action is impossible in this state.
  case rejected
  /// The VM is stopped: nothing ran.
  case stopped
  /// VTL1 intercepted the write and skipped the instruction: nothing changed, no fault.
  case dropped
  /// The kernel took a page fault (SMEP or SMAP stopped it): Linux oopses.
  case pf

  /// How trainees see it written: `ok`, `#GP`, `#UD`, `VM exit`, `rejected`, `stopped`,
  /// `dropped`, `#PF`.
  public var display: String {
    switch self {
    case .ok: "ok"
    case .gp: "#GP"
    case .ud: "#UD"
    case .exit: "VM exit"
    case .rejected: "rejected"
    case .stopped: "stopped"
    case .dropped: "dropped"
    case .pf: "#PF"
    }
  }

  /// Whether the outcome is a failure of any kind.
  public var isFailure: Bool { self != .ok }
}
