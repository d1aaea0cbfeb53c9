import Foundation
import Testing

/// A long paste into the `:` prompt in a real terminal (issue 19, item 5): it arrives in
/// seconds, not minutes, and Ctrl-C right after it cancels the line without waiting behind it,
/// discards the rest of the paste, and leaves the screen showing what the app drew (the session
/// runs with NOFLSH, so the kernel never drops a frame already written).
@Suite("a long paste into the : prompt (tmux)")
struct PasteEndToEndTests {
  @Test("20,000 pasted characters, then Ctrl-C: the prompt closes, and q still quits")
  func pasteThenCancel() throws {
    let app = try TUIRun()
    try app.tmux.keys(":")
    try app.tmux.waitFor("C-c cancels")
    // A real paste: tmux's buffer, loaded from a file (send-keys refuses such a long line).
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "crpin-paste-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data(("mov cr4, " + String(repeating: "1", count: 19_991)).utf8).write(to: file)
    for command in [["load-buffer", file.path], ["paste-buffer", "-t", "e2e"]] {
      let result = try Tmux.execute(["tmux", "-L", app.tmux.server] + command)
      #expect(result.status == 0, "tmux \(command[0]): \(result.error)")
    }
    try app.tmux.keys("C-c")
    try app.tmux.waitFor("the prompt closed", timeout: 30) {
      !$0.contains("C-c cancels") && $0.contains("CR4 0x") && $0.contains("line cancelled")
    }
    // The rest of the paste is discarded, not typed as keys: any key would clear the message.
    Thread.sleep(forTimeInterval: 0.3)
    #expect(try app.tmux.capture().contains("line cancelled"))
    try app.tmux.keys("q")
    let (status, modes) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=0")
    #expect(terminalIsCooked(modes), "\(modes)")
  }
}
