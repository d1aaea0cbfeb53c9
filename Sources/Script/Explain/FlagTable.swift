import Engine

/// A named bit (or field) of EFLAGS or EFER, for `crpin explain`.
struct FlagInfo: Sendable {
  /// The lowest bit.
  let index: Int
  /// How many bits (IOPL: 2).
  let width: Int
  /// `AC`.
  let mnemonic: String
  /// `Alignment Check / Access Control`.
  let name: String
  /// One line on what it does.
  let meaning: String

  /// The field as a mask.
  var mask: UInt64 { ((UInt64(1) << UInt64(width)) - 1) << UInt64(index) }
}

/// The EFLAGS and EFER tables (Intel SDM Vol. 1 §3.4.3, Vol. 3A §2.2.1; AMD APM Vol. 2 §3.1.7).
enum FlagTable {
  private static func flag(
    _ index: Int, _ mnemonic: String, _ name: String, _ meaning: String, width: Int = 1
  )
    -> FlagInfo
  {
    FlagInfo(index: index, width: width, mnemonic: mnemonic, name: name, meaning: meaning)
  }

  /// EFLAGS (RFLAGS bits 63:22 are reserved too). Bit 1 always reads 1.
  static let eflags: [FlagInfo] = [
    flag(0, "CF", "Carry Flag", "Unsigned overflow of the last arithmetic instruction."),
    flag(1, "1", "Reserved, always 1", "Reads as 1 on every x86 CPU."),
    flag(2, "PF", "Parity Flag", "The low byte of the last result has an even number of 1 bits."),
    flag(4, "AF", "Auxiliary Carry Flag", "Carry out of bit 3 (BCD arithmetic)."),
    flag(6, "ZF", "Zero Flag", "The last result was zero."),
    flag(7, "SF", "Sign Flag", "The last result was negative."),
    flag(8, "TF", "Trap Flag", "Single-step: #DB after each instruction (debuggers)."),
    flag(9, "IF", "Interrupt Enable Flag", "Maskable interrupts are delivered."),
    flag(10, "DF", "Direction Flag", "String instructions walk downwards."),
    flag(11, "OF", "Overflow Flag", "Signed overflow of the last arithmetic instruction."),
    flag(12, "IOPL", "I/O Privilege Level", "The CPL needed for IN/OUT and CLI/STI (2 bits).", width: 2),
    flag(14, "NT", "Nested Task", "IRET returns to a nested task (32-bit task switching)."),
    flag(16, "RF", "Resume Flag", "Suppresses instruction breakpoints for the next instruction."),
    flag(17, "VM", "Virtual-8086 Mode", "Virtual-8086 mode (not in long mode)."),
    flag(
      18, "AC", "Alignment Check / Access Control",
      "With CR4.SMAP (bit 21, 0x200000) set, supervisor code may touch user pages while AC is 1: "
        + "`stac` sets it, `clac` clears it, and Linux keeps it clear outside its user-access "
        + "windows (copy_from_user). Set in a kernel context outside such a window, SMAP is "
        + "effectively off (a stac gadget). In user mode with CR0.AM: alignment checking."),
    flag(19, "VIF", "Virtual Interrupt Flag", "Virtual IF (VME/PVI)."),
    flag(20, "VIP", "Virtual Interrupt Pending", "A virtual interrupt is pending (VME/PVI)."),
    flag(21, "ID", "Identification Flag", "Toggling it shows the CPU has CPUID."),
  ]

  /// EFER (MSR 0xC0000080).
  static let efer: [FlagInfo] = [
    flag(0, "SCE", "System Call Extensions", "SYSCALL/SYSRET enabled."),
    flag(8, "LME", "Long Mode Enable", "Long mode once paging is on."),
    flag(10, "LMA", "Long Mode Active", "Set by the CPU: long mode is active (LME and CR0.PG)."),
    flag(11, "NXE", "No-Execute Enable", "The NX bit of page-table entries is honoured."),
    flag(12, "SVME", "Secure Virtual Machine Enable", "AMD SVM enabled (AMD only)."),
    flag(13, "LMSLE", "Long Mode Segment Limit Enable", "Segment limits in long mode (old AMD only)."),
    flag(14, "FFXSR", "Fast FXSAVE/FXRSTOR", "FXSAVE skips the XMM registers in CPL 0 (AMD only)."),
    flag(15, "TCE", "Translation Cache Extension", "INVLPG flushes less (AMD only)."),
  ]

  /// The table entry whose field contains bit `index`.
  static func flag(_ table: [FlagInfo], containing index: Int) -> FlagInfo? {
    table.first { index >= $0.index && index < $0.index + $0.width }
  }
}
