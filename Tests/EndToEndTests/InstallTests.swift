import Foundation
import Testing

/// `scripts/install PREFIX` puts crpin, its man page and the completions where the system
/// looks for them, and docs/crpin.1 (what it installs) describes every command and option.
@Suite("install")
struct InstallTests {
  @Test("scripts/install into a temporary PREFIX (the debug build, through CRPIN_BINARY)")
  func installIntoPrefix() throws {
    let binary = try CrpinBinary.require()
    let prefix = FileManager.default.temporaryDirectory.appendingPathComponent(
      "crpin-prefix-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: prefix) }
    var environment = ProcessInfo.processInfo.environment
    environment["CRPIN_BINARY"] = binary
    let script = CrpinBinary.packageRoot.appendingPathComponent("scripts/install").path
    let run = try Tmux.execute(["bash", script, prefix.path], environment: environment)
    #expect(run.status == 0, "\(run.error)")
    let installed = [
      "bin/crpin", "share/man/man1/crpin.1", "share/bash-completion/completions/crpin",
      "share/zsh/site-functions/_crpin", "share/fish/vendor_completions.d/crpin.fish",
    ]
    for path in installed {
      #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent(path).path), "\(path)")
    }
    #expect(FileManager.default.isExecutableFile(atPath: prefix.appendingPathComponent("bin/crpin").path))
    let bash = try String(contentsOf: prefix.appendingPathComponent(installed[2]), encoding: .utf8)
    #expect(bash.contains("lesson-smep") && bash.contains("complete -o filenames -F"))
    let manual = try Data(contentsOf: prefix.appendingPathComponent(installed[1]))
    #expect(manual == (try Data(contentsOf: CrpinBinary.packageRoot.appendingPathComponent("docs/crpin.1"))))
  }

  @Test("docs/crpin.1 names every subcommand and option (else run scripts/generate-manual)")
  func manualIsCurrent() throws {
    let manual = try String(
      contentsOf: CrpinBinary.packageRoot.appendingPathComponent("docs/crpin.1"), encoding: .utf8)
    let dump = try Tmux.execute([try CrpinBinary.require(), "--experimental-dump-help"])
    let object = try JSONSerialization.jsonObject(with: Data(dump.output.utf8)) as? [String: Any]
    var missing: [String] = []
    func visit(_ command: [String: Any], isRoot: Bool) {
      if !isRoot, let name = command["commandName"] as? String, !manual.contains(".It Em \(name)") {
        missing.append(name)
      }
      for argument in command["arguments"] as? [[String: Any]] ?? [] {
        for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "long" {
          if let long = name["name"] as? String, !manual.contains("Fl -\(long)"),
            !manual.contains(", -\(long)")
          {
            missing.append("--\(long)")
          }
        }
      }
      for sub in command["subcommands"] as? [[String: Any]] ?? [] { visit(sub, isRoot: false) }
    }
    visit(try #require(object?["command"] as? [String: Any]), isRoot: true)
    #expect(missing == [], "docs/crpin.1 is out of date: run scripts/generate-manual")
  }
}
