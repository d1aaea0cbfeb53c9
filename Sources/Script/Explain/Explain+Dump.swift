import Engine

extension Explain {
  /// The registers of a pasted dump decoded, in output order (the first value of each; CR3
  /// with the dump's CR4 for PCIDE). Empty when nothing was recognised.
  public static func explained(_ dump: RegisterDump, versions: ExplainVersions = .default) -> [(
    finding: RegisterDump.Finding, register: ExplainedRegister
  )] {
    let cr4 = dump.registers.first { $0.register == .cr4 }?.value
    return dump.registers.map { finding in
      (finding, explained(finding.register, value: finding.value, cr4: cr4, versions: versions))
    }
  }

  /// `crpin explain --from`'s text: a summary line, then each register with the line it came
  /// from and its decoding; values that differ on later lines are listed, not decoded.
  public static func dumpText(_ dump: RegisterDump, versions: ExplainVersions = .default) -> String {
    let decoded = explained(dump, versions: versions)
    var sections = [
      "found \(decoded.map(\.register.register.displayName).joined(separator: ", ")) "
        + "(\(decoded.count) of CR0, CR2, CR3, CR4, EFER, EFLAGS)"
    ]
    for (finding, register) in decoded {
      var section =
        "\(register.register.displayName) from line \(finding.line): \(finding.text)\n" + register.text
      let others = dump.otherValues(of: finding.register)
      if !others.isEmpty {
        section +=
          "\n  also found (not decoded): "
          + others.map { "\(Hex.short($0.value)) on line \($0.line)" }.joined(separator: ", ")
      }
      sections.append(section)
    }
    return sections.joined(separator: "\n\n")
  }

  /// `--format json`: one object keyed by register name in output order (`cr0 cr2 cr3 cr4 efer
  /// eflags`, only those given), each `{"value", "set", "reserved"}` (CR3 adds `address`, `pcid`,
  /// `pcide`) and `line` when it came from a dump.
  public static func json(_ registers: [(register: ExplainedRegister, line: Int?)]) -> String {
    JSONValue.object(
      registers.map { register, line in
        var members: [(String, JSONValue)] = [
          ("value", .string(Hex.short(register.value))),
          ("set", .array(register.set.map { .string($0) })),
          ("reserved", .array(register.reserved.map { .string($0) })),
        ]
        if let cr3 = register.cr3 {
          members += [
            ("address", .string(Hex.short(cr3.address))),
            ("pcid", cr3.pcid.map { .string(Hex.short($0)) } ?? .null),
            ("pcide", cr3.pcide.map { .bool($0) } ?? .null),
          ]
        }
        if let line { members.append(("line", .number(line))) }
        return (register.register.rawValue, .object(members))
      }
    ).text
  }

  /// What `crpin explain --from` says when the text holds no register it knows.
  public static let nothingFound =
    "no CR0, CR2, CR3, CR4, EFER or EFLAGS value found: paste a Linux oops register dump "
    + "(`CR2: 0000000000401000 CR3: 000000000b41c000 CR4: 00000000001006f0`), QEMU's `info "
    + "registers` (`CR4=00360ef0`, `EFER=…`, `RFL=…`) or gdb's `info registers` (`cr4 0x360ef0 [ … ]`)"
}
