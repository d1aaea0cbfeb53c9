import Engine

/// Parses one line of the script language into a statement.
enum StatementParser {
  /// The statement on `line`, or `nil` for a blank line or a plain comment. `#>` lines are
  /// narration.
  static func parse(_ line: String, lineNumber: Int) throws(ScriptError) -> ParsedStatement? {
    let tokenized = try Lexer.tokenize(line, lineNumber: lineNumber)
    if tokenized.tokens.isEmpty {
      guard let comment = tokenized.comment, comment.hasPrefix(">") else { return nil }
      let narration = String(comment.dropFirst()).trimmingCharacters(in: " \t\r")
      return ParsedStatement(line: lineNumber, text: narration, command: .narration(narration))
    }
    var cursor = TokenCursor(tokenized, line: lineNumber)
    let command = try parseCommand(&cursor)
    let operandColumn = tokenized.tokens.count > 1 ? tokenized.tokens[1].column : 1
    return ParsedStatement(
      line: lineNumber, text: tokenized.text, command: command, operandColumn: operandColumn)
  }

  private static func parseCommand(_ cursor: inout TokenCursor) throws(ScriptError) -> Command {
    let first = try cursor.requireWord("a statement")
    let command = try StatementKind.reading(first, &cursor).row.parse(&cursor)
    if case .action = command { try cursor.requireEnd(after: "the statement") }
    return command
  }

  /// The number after `vcpu`/`vcpus`, with its column.
  static func vcpuNumber(_ cursor: inout TokenCursor, after keyword: String) throws(ScriptError)
    -> (value: Int, column: Int)
  {
    let token = try cursor.require("a vCPU number after `\(keyword)`")
    guard case .number(let value) = token.kind else {
      throw cursor.error("expected a vCPU number after `\(keyword)`, found \(token.quoted)", at: token.column)
    }
    if keyword == "vcpus", !(1...UInt64(VirtualMachine.maxVCPUs)).contains(value) {
      throw cursor.error("a VM has 1 to \(VirtualMachine.maxVCPUs) vCPUs, not \(value)", at: token.column)
    }
    guard value < UInt64(VirtualMachine.maxVCPUs) || keyword == "vcpus" else {
      throw cursor.error(
        "there is no vCPU \(value): a VM has at most \(VirtualMachine.maxVCPUs) (0-\(VirtualMachine.maxVCPUs - 1))",
        at: token.column)
    }
    return (Int(value), token.column)
  }

  /// `set BIT` (`on`) or `clear BIT`.
  static func setBit(on: Bool, _ cursor: inout TokenCursor) throws(ScriptError) -> ActionTemplate {
    let keyword = on ? "set" : "clear"
    let token = try cursor.requireWord("a bit name such as cr4.SMEP after `\(keyword)`")
    guard let bit = BitCatalog.lookup(token.text) else {
      throw cursor.error(
        Suggestions.message(
          "bit", token,
          among: BitCatalog.allQualifiedNames + (BitCatalog.cr0 + BitCatalog.cr4).map(\.mnemonic)),
        at: token.column)
    }
    return .setBit(bit, on: on)
  }

  /// `smram cr0|cr3|cr4|efer, EXPR`, after `smram`.
  static func smram(_ cursor: inout TokenCursor) throws(ScriptError) -> ActionTemplate {
    let token = try cursor.requireWord("cr0, cr3, cr4 or efer after `smram`")
    guard let register = RegisterName(rawValue: token.keyword ?? "") else {
      throw cursor.error(
        Suggestions.message(
          "SMRAM field", token, among: RegisterName.allCases.map(\.rawValue),
          hint: "use cr0, cr3, cr4 or efer"),
        at: token.column)
    }
    try cursor.requireSymbol(",", after: "the SMRAM field")
    return .smram(register, try ExpressionParser.parse(&cursor))
  }

  /// `vmcs12 host_cr0|host_cr4, EXPR`, after `vmcs12`.
  static func vmcs12(_ cursor: inout TokenCursor) throws(ScriptError) -> ActionTemplate {
    let token = try cursor.requireWord("host_cr0 or host_cr4 after `vmcs12`")
    guard let field = VMCS12Field(rawValue: token.keyword ?? "") else {
      throw cursor.error(
        Suggestions.message(
          "vmcs12 field", token, among: VMCS12Field.allCases.map(\.rawValue),
          hint: "use host_cr0 or host_cr4"),
        at: token.column)
    }
    try cursor.requireSymbol(",", after: "the vmcs12 field")
    return .vmcs12(field, try ExpressionParser.parse(&cursor))
  }

  static func controlRegister(_ cursor: inout TokenCursor) throws(ScriptError) -> ControlRegister {
    let token = try cursor.requireWord("cr0, cr3 or cr4")
    if let register = ControlRegister(rawValue: token.keyword ?? "") { return register }
    if token.keyword == "efer" {
      throw cursor.error("EFER is an MSR: write it with `wrmsr EFER, …`", at: token.column)
    }
    throw cursor.error(
      Suggestions.message(
        "control register", token, among: ControlRegister.allCases.map(\.rawValue),
        hint: "use cr0, cr3 or cr4"),
      at: token.column)
  }

  /// Why a statement takes cr0 or cr4 only, as its error says it: `kernel write`'s and `vtl1
  /// intercept`'s reasons differ.
  enum PinnableReason {
    /// `kernel write`: the guest kernel's pinned writers.
    case kernelWrite
    /// `vtl1 intercept`: the CR intercepts VTL1 sets on VTL0 (Hyper-V VSM, as LVBS uses them).
    case vtl1Intercept

    /// The sentence, before `, not cr3`.
    var sentence: String {
      switch self {
      case .kernelWrite: "the kernel's native_write_crX() exists for cr0 and cr4 only"
      case .vtl1Intercept:
        "crpin models VTL1 intercepting VTL0's writes to cr0 and cr4 only (the registers pinning guards)"
      }
    }
  }

  static func pinnableRegister(_ cursor: inout TokenCursor, reason: PinnableReason = .kernelWrite)
    throws(ScriptError) -> PinnableRegister
  {
    let token = try cursor.requireWord("cr0 or cr4")
    if let register = PinnableRegister(rawValue: token.keyword ?? "") { return register }
    if RegisterName(rawValue: token.keyword ?? "") != nil {
      throw cursor.error("\(reason.sentence), not \(token.text)", at: token.column)
    }
    throw cursor.error(
      Suggestions.message(
        "register", token, among: PinnableRegister.allCases.map(\.rawValue), hint: reason.sentence),
      at: token.column)
  }

  static func flag(_ name: String, after keyword: String, _ cursor: inout TokenCursor)
    throws(ScriptError) -> Bool
  {
    guard let token = cursor.next() else { return false }
    guard token.keyword == name else {
      throw cursor.error(
        Suggestions.message(
          "`\(keyword)` option", token, among: [name], hint: "the only option is `\(name)`"),
        at: token.column)
    }
    return true
  }

  static func option(_ cursor: inout TokenCursor) throws(ScriptError) -> ActionTemplate {
    let names =
      VMOptionName.allCases.map(\.rawValue) + ["mechanism", "host-cr0", "host-cr4", "kernel", "kvm"]
    let token = try cursor.requireWord("an option name (\(names.joined(separator: ", ")))")
    switch token.keyword {
    case "mechanism": return .fixed(.mechanism(try mechanism(&cursor)))
    case "host-cr0": return .hostCR(.cr0, try ExpressionParser.parse(&cursor))
    case "host-cr4": return .hostCR(.cr4, try ExpressionParser.parse(&cursor))
    case "kernel": return .fixed(.kernelVersion(try version(&cursor, of: .kernel)))
    case "kvm": return .fixed(.kvmVersion(try version(&cursor, of: .kvm)))
    default: break
    }
    guard let name = VMOptionName(rawValue: token.keyword ?? "") else {
      throw cursor.error(
        Suggestions.message("option", token, among: names, hint: "options: \(names.joined(separator: ", "))"),
        at: token.column)
    }
    let state = try cursor.requireWord("`on` or `off`")
    switch state.keyword {
    case "on": return .fixed(.option(name, true))
    case "off": return .fixed(.option(name, false))
    default: throw cursor.error("expected `on` or `off`, found \(state.quoted)", at: state.column)
    }
  }

  /// Whose version `option kernel` or `option kvm` sets.
  enum VersionOwner {
    case kernel, kvm
  }

  /// `MAJOR.MINOR` after `option kernel` (5.3 or later: crpin has no facts on older boot paths)
  /// or `option kvm` (5.8 or later: the patch's base).
  static func version(_ cursor: inout TokenCursor, of owner: VersionOwner) throws(ScriptError) -> LinuxVersion
  {
    let keyword = owner == .kernel ? "kernel" : "kvm"
    let token = try cursor.require("a version such as 5.8 after `option \(keyword)`")
    guard let version = LinuxVersion(token.text) else {
      throw cursor.error(
        "expected a Linux version MAJOR.MINOR such as 5.8 after `option \(keyword)`, found \(token.quoted)",
        at: token.column)
    }
    switch owner {
    case .kernel where version < .firstNativePinning:
      throw cursor.error(
        "crpin has no facts on Linux before \(LinuxVersion.firstNativePinning) (its boot path and pinning): "
          + "use 5.3 or later, or model a kernel without pinning with `option native-pin off`",
        at: token.column)
    case .kvm where version < .seedBase:
      throw cursor.error(
        "crpin's KVM facts start at \(LinuxVersion.seedBase), the pinning patch's base: use 5.8 or later",
        at: token.column)
    default: return version
    }
  }

  /// `+FEATURE` or `-FEATURE` after `host cpuid`.
  static func hostCPUID(_ cursor: inout TokenCursor) throws(ScriptError) -> Action {
    let names = CPUFeature.allCases.map(\.rawValue)
    let token = try cursor.require("+FEATURE or -FEATURE after `host cpuid`")
    let text = token.keyword ?? ""
    guard let sign = text.first, sign == "+" || sign == "-" else {
      throw cursor.error(
        "expected +FEATURE or -FEATURE after `host cpuid` (features: \(names.joined(separator: ", "))), "
          + "found \(token.quoted)",
        at: token.column)
    }
    let name = String(text.dropFirst())
    guard let feature = CPUFeature(rawValue: name) else {
      let bare = Token(kind: .word(name), column: token.column + 1, text: name)
      throw cursor.error(
        Suggestions.message(
          "CPU feature", bare, among: names, hint: "features: \(names.joined(separator: ", "))"),
        at: token.column + 1)
    }
    return .hostCPUID(feature, present: sign == "+")
  }
}
