import Engine

/// When in the guest's life a traced event happened, by crpin's heuristics (README
/// "Importing KVM traces"):
///
/// - The **protection bits** are WP (when any CR0 write of the trace has it) and those of SMEP,
///   SMAP and UMIP that any CR4 write of the trace sets: what the guest turns on once it is up,
///   and what a pinning design pins.
/// - A vCPU **starts up** if its first CR0 write or its first CR4 write in the trace lacks one of
///   them, and stays starting up until the write after which its last CR0 and CR4 writes (for
///   a register not written yet, its first write in the trace) have them all.
/// - Starting up is **boot** on vCPU 0, the bootstrap processor, and **CPU bring-up** on any
///   other vCPU (hotplug, resume, a secondary CPU at boot). Everything else is **later** —
///   kexec, hibernation, EFI calls and a reboot's early writes included: the trace alone cannot
///   tell them apart from an attack.
public enum TracePhase: String, CaseIterable, Sendable {
  case boot = "boot"
  case bringUp = "CPU bring-up"
  case later = "later"
}

/// The phase of every event, and which vCPUs start up in the trace.
struct TracePhases {
  /// The phase of `events[i]`.
  let phases: [TracePhase]
  /// The vCPUs the trace shows starting up from their first event.
  let startingUp: Set<Int>
  /// The events that end a vCPU's start-up (event index → vCPU): where the guest pins.
  let completions: [Int: Int]
  /// The protection bits found (CR0, CR4).
  let protection: PinPair

  init(_ events: [TracedEvent]) {
    var protection = PinPair()
    var firstCR0: [Int: UInt64] = [:]
    var firstCR4: [Int: UInt64] = [:]
    for traced in events {
      guard case .controlRegister(true, let cr, let value) = traced.event else { continue }
      if cr == 0 {
        protection.cr0 |= value & CR0.wp
        if firstCR0[traced.vcpu] == nil { firstCR0[traced.vcpu] = value }
      } else if cr == 4 {
        protection.cr4 |= value & (CR4.smep | CR4.smap | CR4.umip)
        if firstCR4[traced.vcpu] == nil { firstCR4[traced.vcpu] = value }
      }
    }
    func lacks(_ value: UInt64?, _ bits: UInt64) -> Bool { value.map { $0 & bits != bits } ?? false }
    var starting = Set<Int>()
    for vcpu in Set(firstCR0.keys).union(firstCR4.keys)
    where lacks(firstCR0[vcpu], protection.cr0) || lacks(firstCR4[vcpu], protection.cr4) {
      starting.insert(vcpu)
    }
    var still = starting
    var lastCR0: [Int: UInt64] = [:]
    var lastCR4: [Int: UInt64] = [:]
    var phases: [TracePhase] = []
    var completions: [Int: Int] = [:]
    phases.reserveCapacity(events.count)
    for traced in events {
      let vcpu = traced.vcpu
      guard still.contains(vcpu) else {
        phases.append(.later)
        continue
      }
      phases.append(vcpu == 0 ? .boot : .bringUp)
      guard case .controlRegister(true, let cr, let value) = traced.event else { continue }
      if cr == 0 { lastCR0[vcpu] = value } else if cr == 4 { lastCR4[vcpu] = value }
      let cr0 = lastCR0[vcpu] ?? firstCR0[vcpu]
      let cr4 = lastCR4[vcpu] ?? firstCR4[vcpu]
      if !lacks(cr0, protection.cr0), !lacks(cr4, protection.cr4) {
        still.remove(vcpu)
        completions[phases.count - 1] = vcpu
      }
    }
    self.phases = phases
    self.startingUp = starting
    self.completions = completions
    self.protection = protection
  }
}
