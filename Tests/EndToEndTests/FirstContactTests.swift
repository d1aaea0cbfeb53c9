import Foundation
import Testing

/// What a new user meets first (issue 18): `--version`, the shell completions, the language
/// reference as its own help page, and help text that reads well at 80 columns and piped.
@Suite("first contact")
struct FirstContactTests {
  /// Runs the built crpin with `arguments` (COLUMNS set when `columns` is given); its status,
  /// standard output and standard error.
  static func crpin(_ arguments: [String], columns: Int? = nil) throws -> (
    status: Int32, output: String, error: String
  ) {
    var environment = ProcessInfo.processInfo.environment
    environment["COLUMNS"] = columns.map(String.init)
    environment["SWIFT_BACKTRACE"] = "interactive=no"
    return try Tmux.execute([try CrpinBinary.require()] + arguments, environment: environment)
  }

  /// The built-in scenarios' ids, from `crpin scenarios` (an id starts each line).
  static func scenarioIDs() throws -> [String] {
    let list = try crpin(["scenarios"])
    try #require(list.status == 0, "\(list.error)")
    return list.output.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
  }

  @Test("--version: the release number and the commit baked in (or unknown without a stamp)")
  func version() throws {
    let run = try Self.crpin(["--version"])
    #expect(run.status == 0, "\(run.error)")
    let pattern = #/crpin [0-9]+\.[0-9]+\.[0-9]+ \(([0-9a-f]{7,40}(-dirty)?|unknown)\)\n/#
    #expect(run.output.wholeMatch(of: pattern) != nil, "\(run.output)")
  }

  @Test(
    "completion scripts name every scenario, the themes, the mechanisms and the formats",
    arguments: ["bash", "zsh", "fish"])
  func completionScript(shell: String) throws {
    let run = try Self.crpin(["--generate-completion-script", shell])
    #expect(run.status == 0, "\(run.error)")
    let ids = try Self.scenarioIDs()
    #expect(ids.count > 20 && ids.contains("smm-tamper"), "\(ids)")
    for word in ids + [
      "projector", "mono", "jsonl", "markdown", "discrepancies", "100x30", "kvm-rfc2", "vtl1",
    ] {
      #expect(run.output.contains(word), "\(shell) script lacks \(word)")
    }
    // `run`'s script and `explain --from` complete as files.
    #expect(run.output.contains(shell == "bash" ? "-f" : shell == "zsh" ? "_files" : "-rF"))
  }

  @Test("--scenario, compare and export complete scenario ids, then directories and .crpin files")
  func scenarioOrScript() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("crpin-complete-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("lessons"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    for name in ["smep.crpin", "notes.txt", ".hidden.crpin"] {
      try Data().write(to: directory.appendingPathComponent(name))
    }
    let prefix = directory.path + "/"
    let files = try Self.crpin([
      "---completion", "tui", "--", "--scenario", "3", "\(prefix.count)", "crpin", "tui", "--scenario",
      prefix,
    ])
    #expect(files.status == 0, "\(files.error)")
    #expect(files.output == "\(prefix)lessons/\n\(prefix)smep.crpin\n")
    let ids = try Self.crpin([
      "---completion", "compare", "--", "positional@0", "2", "3", "crpin", "compare", "smm",
    ])
    #expect(ids.output == "smm-free\nsmm-tamper\n", "\(ids.error)")
  }

  @Test("help language and crpin language print the reference; run --help points at it")
  func languagePage() throws {
    let help = try Self.crpin(["help", "language"], columns: 80)
    #expect(help.status == 0, "\(help.error)")
    for entry in ["host sregs cr0=EXPR", "option mechanism kvm-2020", "EXPR: numbers", "Exit status:"] {
      #expect(help.output.contains(entry), "\(entry)")
    }
    let page = try Self.crpin(["language"])
    #expect(page.status == 0)
    #expect(page.output.hasPrefix("One statement a line;"))
    let run = try Self.crpin(["run", "--help"], columns: 80)
    #expect(run.output.contains("crpin help language"))
  }

  static let helpPages: [[String]] = [
    [], ["tui"], ["run"], ["scenarios"], ["scenario"], ["explain"], ["compare"], ["threats"], ["export"],
    ["export", "slides"], ["export", "asciicast"], ["verify"], ["language"],
  ]

  @Test(
    "help at 80 columns, piped: no line over 80, no hard wrap the parser re-wrapped", arguments: helpPages)
  func helpAt80(_ command: [String]) throws {
    let run = try Self.crpin(command + ["--help"], columns: 80)
    #expect(run.status == 0, "\(run.error)")
    let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for line in lines { #expect(line.count <= 80, "\(line.count) columns: \(line)") }
    #expect(Self.rewrapArtefacts(lines, width: 80) == [])
  }

  @Test("help at 200 columns: prose is not hard-wrapped in the source", arguments: helpPages)
  func helpAt200(_ command: [String]) throws {
    let run = try Self.crpin(command + ["--help"], columns: 200)
    let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(Self.rewrapArtefacts(lines, width: 200) == [])
  }

  @Test("the artefact finder sees a re-wrapped hard wrap and passes a table")
  func artefactFinder() {
    let ragged = [
      "Each column starts from a VM created under that mechanism and booted (as", "then", "runs the script.",
    ]
    #expect(Self.rewrapArtefacts(ragged, width: 80) == ["then"])
    let table = ["  vcpu N        select vCPU N", "  mov cr0, EXPR  guest MOV"]
    #expect(Self.rewrapArtefacts(table, width: 80) == [])
  }

  /// Lines that end well short of `width` in the middle of a sentence: prose (no run of two
  /// spaces, as tables have), followed at the same indent by a line going on in lower case.
  /// That is what a source line with its own line break looks like once the parser wraps it.
  static func rewrapArtefacts(_ lines: [String], width: Int) -> [String] {
    func indent(_ line: String) -> Int { line.prefix { $0 == " " }.count }
    return zip(lines, lines.dropFirst()).compactMap { line, next in
      let body = line.drop { $0 == " " }
      guard !body.isEmpty, body.count < width / 2, !body.contains("  "), indent(line) == indent(next),
        next.drop(while: { $0 == " " }).first?.isLowercase == true, !body.hasSuffix(":")
      else { return nil }
      return line
    }
  }
}
