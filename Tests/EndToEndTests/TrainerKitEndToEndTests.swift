import Foundation
import Testing

/// The trainer's kit through the real binary in tmux: predict mode and the compare pane.
@Suite("TUI trainer's kit end to end (tmux)", .serialized)
struct TrainerKitEndToEndTests {
  @Test("--quiz: n asks for a prediction, g answers #GP, the score shows")
  func quiz() throws {
    let app = try TUIRun(arguments: "tui --scenario compare-rop --quiz")
    try app.tmux.waitFor("n predict it")
    try app.tmux.keys("n")
    try app.tmux.waitFor("What will this do?")
    try app.tmux.keys("g")
    let screen = try app.tmux.waitFor("the verdict") { $0.contains("✓ right") && $0.contains("score 1/1") }
    #expect(screen.contains("quiz 1/1"))
    try app.tmux.keys("n")
    try app.tmux.waitFor("host sregs cr4=cr4 | SMEP")
    try app.tmux.keys("x")
    try app.tmux.waitFor("it was ok")
  }

  @Test("c: every mechanism's answer for the cursor bit; M picks a mechanism and re-boots under it")
  func comparePane() throws {
    let app = try TUIRun(arguments: "tui")
    try app.tmux.keys("c")
    let screen = try app.tmux.waitFor("each mechanism booted")
    #expect(screen.contains("vtl1"))
    #expect(screen.contains("dropped"))
    try app.tmux.keys("c")  // closes (Escape then M would arrive as Alt-M)
    try app.tmux.waitFor("kvm-2020 MSRs")
    try app.tmux.keys("M")
    try app.tmux.waitFor("re-boot the guest under it")
    try app.tmux.keys("j")
    try app.tmux.keys("Enter")
    try app.tmux.waitFor("option mechanism kvm-rfc2")
    try app.tmux.waitFor("the guest re-booted under kvm-rfc2")
    try app.tmux.keys("T")
    try app.tmux.waitFor("Timeline  point 1 of 1")
  }
}
