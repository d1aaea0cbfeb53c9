import Engine

/// What one statement did on the real vCPU.
public struct RealOutcome: Equatable, Sendable {
  /// How it ended.
  public enum Kind: Equatable, Sendable {
    /// The instruction retired, or KVM took the VMM's ioctl.
    case ok
    /// The guest took exception `vector` (13 #GP, 6 #UD, 14 #PF); the stub's handler reported it.
    case fault(vector: Int)
    /// KVM refused the VMM's ioctl (KVM_SET_MSRS set fewer MSRs than asked, KVM_SET_SREGS failed).
    case refused(String)
    /// The vCPU stopped (a triple fault, an internal error): nothing runs until `reset` or `boot`.
    case vcpuStopped(String)
    /// Nothing ran: the vCPU was already stopped.
    case wasStopped
    /// Nothing ran: this backend cannot run the statement here (the reason says why).
    case notRun(String)
  }

  /// How it ended.
  public var kind: Kind
  /// What a read returned (RDMSR's EDX:EAX, KVM_GET_MSRS's value).
  public var value: UInt64?
  /// CR0, CR3, CR4 and EFER after it, from KVM_GET_SREGS (nil when not run).
  public var registers: Registers?
  /// A detail worth saying (which boot step faulted).
  public var note: String?

  /// A statement this backend does not run.
  public static func notRun(_ reason: String) -> RealOutcome {
    RealOutcome(kind: .notRun(reason), value: nil, registers: nil, note: nil)
  }

  /// Whether the statement ran on the real vCPU.
  public var ran: Bool {
    switch kind {
    case .notRun: false
    default: true
    }
  }

  /// In one word, as crpin writes outcomes: `ok`, `#GP`, `#UD`, `rejected`, `VM exit`, `stopped`,
  /// `not run`.
  public var display: String {
    switch kind {
    case .ok: "ok"
    case .fault(let vector): Self.vectorName(vector)
    case .refused: "rejected"
    case .vcpuStopped: "VM exit"
    case .wasStopped: "stopped"
    case .notRun: "not run"
    }
  }

  /// The `outcome` word of JSON lines, as the model's: `ok`, `gp`, `ud`, `pf`, `rejected`,
  /// `exit`, `stopped`, `not-run`, or `vector-N` for another exception.
  public var word: String {
    switch kind {
    case .ok: "ok"
    case .fault(13): "gp"
    case .fault(6): "ud"
    case .fault(14): "pf"
    case .fault(let vector): "vector-\(vector)"
    case .refused: "rejected"
    case .vcpuStopped: "exit"
    case .wasStopped: "stopped"
    case .notRun: "not-run"
    }
  }

  /// `#GP`, `#UD`, … for the architectural vectors, `vector N` otherwise.
  public static func vectorName(_ vector: Int) -> String {
    let names = [
      0: "#DE", 1: "#DB", 3: "#BP", 4: "#OF", 5: "#BR", 6: "#UD", 7: "#NM", 8: "#DF", 10: "#TS",
      11: "#NP", 12: "#SS", 13: "#GP", 14: "#PF", 16: "#MF", 17: "#AC", 18: "#MC", 19: "#XM",
    ]
    return names[vector] ?? "vector \(vector)"
  }
}
