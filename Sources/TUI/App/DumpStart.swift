import Script

extension AppState {
  /// The `host sregs` statement that puts the registers found in a pasted register dump (a
  /// kernel oops, QEMU's or gdb's `info registers`) into the VM, as `crpin tui --from FILE`
  /// starts; `nil` when the dump has none of CR0, CR3, CR4, EFER.
  public static func startStatement(fromDump text: String) -> String? {
    let found = RegisterDump(scanning: text).registers
    var fields: [String] = []
    for finding in found {
      switch finding.register {
      case .cr0, .cr3, .cr4, .efer:
        fields.append("\(finding.register.rawValue)=0x\(String(finding.value, radix: 16))")
      case .cr2, .eflags: continue
      }
    }
    return fields.isEmpty ? nil : "host sregs " + fields.joined(separator: " ")
  }
}
