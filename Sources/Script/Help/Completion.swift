import Engine

/// Tab completion for one line of the script language: what may stand where the cursor is.
public enum Completion {
  /// The word before the cursor and what could replace it.
  public struct Candidates: Equatable, Sendable {
    /// Where the word starts, in characters from the start of the line.
    public let start: Int
    /// The word as typed so far.
    public let word: String
    /// The names that start with it (case-insensitively), in the language's order.
    public let names: [String]
    /// What to add after a name that completes the word alone (a space after a statement
    /// keyword, nothing inside an expression).
    public let suffix: String
  }

  /// The candidates for the word that ends at `cursor` in `text`.
  public static func candidates(in text: String, cursor: Int) -> Candidates {
    let characters = Array(text)
    let end = min(max(cursor, 0), characters.count)
    var start = end
    while start > 0, isWordCharacter(characters[start - 1]) { start -= 1 }
    let word = String(characters[start..<end])
    let before = characters[..<start]
    let words = before.split { $0 == " " || $0 == "\t" || $0 == "," }.map { String($0).lowercased() }
    let all: [String]
    if start > 0, before.last == "[" {
      all = Mechanism.allCases.map(\.rawValue)
    } else {
      all = names(after: words, text: String(before))
    }
    let lowered = word.lowercased()
    var seen: Set<String> = []
    let matching = all.filter { $0.lowercased().hasPrefix(lowered) && seen.insert($0.lowercased()).inserted }
    return Candidates(start: start, word: word, names: matching, suffix: words.isEmpty ? " " : "")
  }

  /// Letters, digits and `_ . -`: what a keyword, bit, MSR or option name is made of.
  static func isWordCharacter(_ character: Character) -> Bool {
    character.isLetter || character.isNumber || character == "_" || character == "." || character == "-"
  }

  /// What may come after `words` (lower-cased, `[…]` qualifiers kept) on a line whose text up to
  /// the word is `text`.
  private static func names(after words: [String], text: String) -> [String] {
    guard let first = words.first.map({ String($0.prefix { $0 != "[" }) }) else {
      return LanguageHelp.promptKeywords
    }
    let position = words.count
    let afterOperand = text.contains(",") || text.contains("=")
    let expression = Suggestions.expressionNames
    let msrs = Suggestions.msrNames
    let bits = BitCatalog.allQualifiedNames + (BitCatalog.cr0 + BitCatalog.cr4).map(\.mnemonic)
    func operand(_ names: [String]) -> [String] { position == 1 && !afterOperand ? names : expression }
    switch first {
    case "help": return position == 1 ? LanguageHelp.topics : []
    case "mov": return operand(["cr0", "cr3", "cr4"])
    case "set", "clear": return position == 1 ? bits : []
    case "wrmsr", "rdmsr": return operand(msrs)
    case "smram": return operand(RegisterName.allCases.map(\.rawValue))
    case "vmcs12": return operand(VMCS12Field.allCases.map(\.rawValue))
    case "reboot": return position == 1 ? ["keep-pins"] : []
    case "migrate": return position == 1 ? ["drop-pins"] : []
    case "exec", "access": return position == 1 ? StatementKind.verbs(after: first) : []
    case "host": return hostNames(words, afterOperand: afterOperand, msrs: msrs, expression: expression)
    case "kernel":
      return position == 1
        ? StatementKind.verbs(after: first) : operand2(["cr0", "cr4"], position, afterOperand)
    case "hypercall": return position == 1 ? ["lock_cr"] : operand2(["cr0", "cr4"], position, afterOperand)
    case "vtl1": return vtl1Names(words, afterOperand: afterOperand)
    case "option": return optionNames(words)
    case "expect": return expectNames(words, afterOperand: afterOperand)
    default: return []
    }
  }

  /// The names for a statement's second operand word: `choices` right after the verb, an
  /// expression after the comma.
  private static func operand2(_ choices: [String], _ position: Int, _ afterOperand: Bool) -> [String] {
    position == 2 && !afterOperand ? choices : Suggestions.expressionNames
  }

  private static func hostNames(_ words: [String], afterOperand: Bool, msrs: [String], expression: [String])
    -> [String]
  {
    guard words.count > 1 else { return StatementKind.verbs(after: "host") }
    switch words[1] {
    case "wrmsr", "rdmsr": return words.count == 2 && !afterOperand ? msrs : expression
    case "sregs":
      let text = words.last ?? ""
      return text.hasSuffix("=") ? expression : RegisterName.allCases.map { $0.rawValue + "=" }
    case "cpuid":
      return words.count == 2 ? CPUFeature.allCases.flatMap { ["+" + $0.rawValue, "-" + $0.rawValue] } : []
    default: return []
    }
  }

  private static func vtl1Names(_ words: [String], afterOperand: Bool) -> [String] {
    guard words.count > 1 else { return StatementKind.verbs(after: "vtl1") }
    switch words[1] {
    case "policy": return words.count == 2 ? VTL1Policy.allCases.map(\.rawValue) : []
    case "intercept": return operand2(["cr0", "cr4"], words.count, afterOperand)
    default: return []
    }
  }

  private static func optionNames(_ words: [String]) -> [String] {
    guard words.count > 1 else {
      return VMOptionName.allCases.map(\.rawValue) + ["mechanism", "host-cr0", "host-cr4", "kernel", "kvm"]
    }
    switch words[1] {
    case "mechanism": return words.count == 2 ? Mechanism.allCases.map(\.rawValue) : []
    case "host-cr0", "host-cr4": return Suggestions.expressionNames
    case "kernel", "kvm": return []
    default: return words.count == 2 ? ["on", "off"] : []
    }
  }

  private static func expectNames(_ words: [String], afterOperand: Bool) -> [String] {
    if words.count == 1 {
      return ExpectParser.outcomeWords + ["rule", "note", "value", "smm", "l2", "stopped"]
        + Suggestions.expressionNames
    }
    if words[1] == "rule" { return words.count == 2 ? RuleID.allCases.map(\.rawValue) : [] }
    return Suggestions.expressionNames
  }
}
