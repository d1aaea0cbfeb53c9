/// A built-in teaching scenario: a script with `#>` narration and `expect` lines proving each
/// point. It runs on a fresh `Session()` (one booted, pinned vCPU) unless it starts with
/// `vcpus N`.
public struct Scenario: Sendable, Equatable {
  /// The short id: `rop-smep`.
  public let id: String
  /// One line: what it shows.
  public let title: String
  /// The script.
  public let source: String

  /// A scenario with its script.
  public init(id: String, title: String, source: String) {
    self.id = id
    self.title = title
    self.source = source
  }

  /// Every built-in scenario, in teaching order.
  public static let all: [Scenario] = [
    .ropSMEP, .bootPins, .guestCannotUnpin, .hostCanUnpin, .pinRules, .wpPinned, .nativePinZero, .smmFree,
    .smmTamper, .nestedRestore, .l2Unpinned, .nestedSMM, .hibernate, .rebootStale, .migration,
    .hiddenFeature, .kexec, .compareROP, .rfc2PinToValue, .rfc2SMRAMRewrite, .rfc2NestedBypass,
    .hekiSMMGap, .hekiPerVM, .vtl1Drop, .initPolicy, .wpGuestOwned, .wpOwned64, .cetWP618, .kernelVersions,
    .lessonSMEP, .lessonSMAP, .xenDeny,
  ]

  /// The scenario with this id (case-insensitive).
  public static func named(_ id: String) -> Scenario? {
    all.first { $0.id == id.lowercased() }
  }

  /// The id closest to a mistyped one, for `did you mean …?`.
  public static func suggestion(for id: String) -> String? {
    Suggestions.closest(to: id, among: all.map(\.id))
  }

  /// The parsed statements (narration included). Built-in scripts always parse; a failure
  /// here is a bug that the scenario tests catch.
  public func parsed() -> Result<[ParsedStatement], ScriptError> { parseScript(source) }
}
