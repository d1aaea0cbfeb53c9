import Engine
import Script

/// What `crpin tui --from FILE` takes from a pasted register dump (a kernel oops, QEMU's or
/// gdb's `info registers`): the `host sregs` statement that puts its CR0, CR3, CR4 and EFER
/// into the VM, and what it found.
public struct DumpStart: Equatable, Sendable {
  /// The statement, run at start-up after `vcpus`.
  public let statement: String
  /// The registers the statement sets, as the log names them (`CR4 0x1006f0`).
  public let applied: [String]
  /// Registers the dump has that crpin does not set from it (`CR2 0x401000`).
  public let ignored: [String]

  /// The start found in `text`; `nil` when it has none of CR0, CR3, CR4, EFER.
  public init?(dump text: String) {
    var fields: [String] = []
    var applied: [String] = []
    var ignored: [String] = []
    for finding in RegisterDump(scanning: text).registers {
      let shown = "\(finding.register.displayName) " + Hex.short(finding.value)
      switch finding.register {
      case .cr0, .cr3, .cr4, .efer:
        fields.append("\(finding.register.rawValue)=0x\(String(finding.value, radix: 16))")
        applied.append(shown)
      case .cr2, .eflags:
        ignored.append(shown)
      }
    }
    guard !fields.isEmpty else { return nil }
    statement = "host sregs " + fields.joined(separator: " ")
    self.applied = applied
    self.ignored = ignored
  }
}

extension AppState {
  /// Says in the `--from` load's own log entry which file it came from, what was read and
  /// what was set.
  public mutating func describe(_ start: DumpStart, file: String) {
    guard let index = log.firstIndex(where: { $0.statement == start.statement }) else { return }
    var details = [
      LogEntry.Detail(
        "--from \(file): read \(start.applied.joined(separator: ", ")); the VMM set them on vCPU 0 "
          + "(KVM_SET_SREGS) before the first step", .normal)
    ]
    if !start.ignored.isEmpty {
      details.append(
        LogEntry.Detail("also in the dump, not set: " + start.ignored.joined(separator: ", "), .dim))
    }
    log[index].details.insert(contentsOf: details, at: 0)
  }
}
