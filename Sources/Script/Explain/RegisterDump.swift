/// A register `crpin explain` decodes: the control registers, EFER and EFLAGS. The cases are in
/// the order output lists them (`--format json` keys, text sections).
public enum DumpRegister: String, CaseIterable, Sendable {
  case cr0, cr2, cr3, cr4, efer, eflags

  /// `CR4`, `EFLAGS`.
  public var displayName: String { rawValue.uppercased() }

  /// The register a name in a dump stands for: the names Linux, QEMU and gdb print, any case
  /// (`RFL` and `EFL` are QEMU's EFLAGS).
  public init?(dumpName name: String) {
    switch name.lowercased() {
    case "cr0": self = .cr0
    case "cr2": self = .cr2
    case "cr3": self = .cr3
    case "cr4": self = .cr4
    case "efer": self = .efer
    case "eflags", "rfl", "efl": self = .eflags
    default: return nil
    }
  }

}

/// The registers found in pasted text: a Linux oops register dump (`CR2: 0000000000401000`,
/// `EFLAGS: 00010046`), QEMU's monitor `info registers` (`CR4=00360ef0`, `EFER=…`, `RFL=…`)
/// or gdb's `info registers` (`cr4  0x360ef0  [ … ]`, `eflags  0x246  [ IF ZF PF ]`).
///
/// A name counts when it stands alone (not inside `X86_CR4_SMEP`) and is followed by `:` or `=`
/// and a hexadecimal value with or without `0x`, or by blanks and a `0x` value (gdb). Values
/// are 1 to 16 hex digits; longer runs are not a register.
public struct RegisterDump: Sendable {
  /// One register value found.
  public struct Finding: Equatable, Sendable {
    /// Which register.
    public let register: DumpRegister
    /// Its value.
    public let value: UInt64
    /// The 1-based line it was found on.
    public let line: Int
    /// That line, trimmed.
    public let text: String
  }

  /// Every value found, in text order (a register may appear more than once).
  public let findings: [Finding]

  /// Scans `text` for register values.
  public init(scanning text: String) {
    var findings: [Finding] = []
    var number = 0
    for rawLine in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      number += 1
      let bytes = Array(rawLine)
      // Memory stays linear in the text: an ordinary line's text is made once and shared by its
      // findings; a long one is cut to an excerpt around each finding.
      var whole: String?
      for (register, value, start) in Self.scan(bytes) {
        let text: String
        if bytes.count <= Self.excerptLength {
          text =
            whole ?? TerminalSafe.text(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: " \t\r"))
          whole = text
        } else {
          text = Self.excerpt(of: bytes, around: start)
        }
        findings.append(Finding(register: register, value: value, line: number, text: text))
      }
    }
    self.findings = findings
  }

  /// The first value found for each register, in output order.
  public var registers: [Finding] {
    DumpRegister.allCases.compactMap { register in findings.first { $0.register == register } }
  }

  /// The other values found for `register` that differ from the first, as `0x… (line N)`.
  public func otherValues(of register: DumpRegister) -> [Finding] {
    let all = findings.filter { $0.register == register }
    guard let first = all.first else { return [] }
    return all.dropFirst().filter { $0.value != first.value }
  }

  /// Lines longer than this many bytes are shown as an excerpt of about this length.
  public static let excerptLength = 160

  /// Up to `excerptLength` bytes of a long line from a little before `start`, cut at character
  /// boundaries, with `…` where it was cut. (Control characters in a finding's text become `?`:
  /// it is printed.)
  private static func excerpt(of bytes: [UInt8], around start: Int) -> String {
    func isContinuation(_ index: Int) -> Bool { index < bytes.count && bytes[index] & 0xC0 == 0x80 }
    var lower = max(0, start - 20)
    while lower > 0, isContinuation(lower) { lower -= 1 }
    var upper = min(bytes.count, lower + excerptLength)
    while upper < bytes.count, isContinuation(upper) { upper -= 1 }
    let middle = String(decoding: bytes[lower..<upper], as: UTF8.self).trimmingCharacters(in: " \t\r")
    return (lower > 0 ? "…" : "") + TerminalSafe.text(middle) + (upper < bytes.count ? "…" : "")
  }

  private static func isWordByte(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
      || byte == UInt8(ascii: "_")
  }

  private static func hexDigit(_ byte: UInt8) -> UInt64? {
    switch byte {
    case 0x30...0x39: UInt64(byte - 0x30)
    case 0x41...0x46: UInt64(byte - 0x41 + 10)
    case 0x61...0x66: UInt64(byte - 0x61 + 10)
    default: nil
    }
  }

  /// The register values on one line, each with where its name starts.
  private static func scan(_ bytes: [UInt8]) -> [(DumpRegister, UInt64, Int)] {
    var found: [(DumpRegister, UInt64, Int)] = []
    var index = 0
    while index < bytes.count {
      guard isWordByte(bytes[index]), index == 0 || !isWordByte(bytes[index - 1]) else {
        index += 1
        continue
      }
      var end = index
      while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
      let name = String(decoding: bytes[index..<end], as: UTF8.self)
      if let register = DumpRegister(dumpName: name), let (value, after) = value(in: bytes, from: end) {
        found.append((register, value, index))
        index = after
      } else {
        index = end
      }
    }
    return found
  }

  /// The value after a register name: `: hex`, `=hex`, or blanks then `0xhex`; and the index
  /// after it.
  private static func value(in bytes: [UInt8], from start: Int) -> (UInt64, Int)? {
    var index = start
    func skipBlanks() {
      while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
        index += 1
      }
    }
    skipBlanks()
    let blanks = index > start
    var needsPrefix = true
    if index < bytes.count, bytes[index] == UInt8(ascii: ":") || bytes[index] == UInt8(ascii: "=") {
      index += 1
      skipBlanks()
      needsPrefix = false
    } else if !blanks {
      return nil
    }
    if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "0"),
      bytes[index + 1] == UInt8(ascii: "x") || bytes[index + 1] == UInt8(ascii: "X")
    {
      index += 2
    } else if needsPrefix {
      return nil
    }
    var value: UInt64 = 0
    var digits = 0
    while index < bytes.count, let digit = hexDigit(bytes[index]) {
      value = value << 4 | digit
      digits += 1
      index += 1
      if digits > 16 { return nil }
    }
    guard digits > 0, index == bytes.count || !isWordByte(bytes[index]) else { return nil }
    return (value, index)
  }
}
