import Foundation
import Testing

/// The keys and the command line in the real binary (issue 12): Ctrl-C on a `:` line and with
/// actions that would be lost, a `:` error in full at 80x24.
@Suite("keys and the command line end to end (tmux)", .serialized)
struct KeysEndToEndTests {
  @Test("Ctrl-C cancels a : line and the app goes on; a second Ctrl-C then quits 130")
  func controlCCancelsLine() throws {
    let app = try TUIRun()
    try app.tmux.keys(":")
    try app.tmux.type("mov cr4, cr4 & ~SMEP")
    try app.tmux.waitFor("mov cr4, cr4 & ~SMEP")
    try app.tmux.keys("C-c")
    let screen = try app.tmux.waitFor("line cancelled")
    #expect(!screen.contains("command line"))
    #expect(screen.contains("CR4 0x0000000000360ef0"), "nothing ran")
    try app.tmux.keys("C-c")
    let (status, modes) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=130")
    #expect(terminalIsCooked(modes), "\(modes)")
  }

  @Test("Ctrl-C after an action asks like q; n stays; a second Ctrl-C while asking quits 130")
  func controlCAsks() throws {
    let app = try TUIRun()
    try app.tmux.keys("s")
    try app.tmux.waitFor("the SMI") { $0.contains("L1  SMM") }
    try app.tmux.keys("C-c")
    try app.tmux.waitFor("1 statement would be lost")
    try app.tmux.keys("n")
    try app.tmux.waitFor("back in the view") { !$0.contains("would be lost") && $0.contains("L1  SMM") }
    try app.tmux.keys("C-c")
    try app.tmux.waitFor("would be lost")
    try app.tmux.keys("C-c")
    let (status, modes) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=130")
    #expect(terminalIsCooked(modes), "\(modes)")
  }

  @Test("a : error at 80x24 shows whole in the prompt's box, not over the log's border")
  func promptErrorWhole() throws {
    let app = try TUIRun(width: 80, height: 24)
    try app.tmux.keys(":")
    try app.tmux.type("mov cr4, ((((", enter: true)
    let screen = try app.tmux.waitFor("the error") { $0.contains("column 14:") }
    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // The wrapped message, read across the box's rows without its side borders.
    let text = lines.joined(separator: " ").replacingOccurrences(of: "│", with: " ")
      .split(separator: " ").joined(separator: " ")
    #expect(text.contains("a bit name such as SMEP, or a register"), "\(screen)")
    let row = try #require(lines.first { $0.contains("column 14:") })
    #expect(
      row.hasPrefix("│ column 14:") && row.trimmingCharacters(in: .whitespaces).hasSuffix("│"), "\(row)")
    try app.tmux.keys("Escape")
    try app.tmux.waitFor("the prompt closed") { !$0.contains("column 14:") }
    try app.tmux.keys("q")
    let (status, _) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=0")
  }

  @Test("Tab completes at the : line in the real terminal; help mov shows the syntax")
  func tabAndHelp() throws {
    let app = try TUIRun()
    try app.tmux.keys(":")
    try app.tmux.type("set cr4.SM")
    try app.tmux.keys("Tab")
    try app.tmux.waitFor("Tab CR4.SMXE  CR4.SMEP  CR4.SMAP")
    try app.tmux.keys("Tab", "Tab")
    try app.tmux.waitFor(":set CR4.SMEP")
    try app.tmux.keys("C-u")
    try app.tmux.type("help mov", enter: true)
    try app.tmux.waitFor("mov cr0|cr3|cr4, EXPR   guest MOV to a control register")
    try app.tmux.keys("Escape")
    try app.tmux.waitFor("the prompt closed") { !$0.contains("command line") }
    try app.tmux.keys("q")
    let (status, _) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=0")
  }
}
