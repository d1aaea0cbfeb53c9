import Testing

@testable import TUI

/// A long paste into the `:` prompt (issue 19, item 5): every edit is linear, so 100,000
/// characters typed one key at a time all arrive, drawn with the cursor at the end; Enter gives
/// the script language's `line too long` error, and Ctrl-C still cancels.
@Suite("a long paste into the : prompt")
struct PromptPasteTests {
  /// 100,000 characters: `mov cr4, ` and then digits.
  static let pasted = "mov cr4, " + String(repeating: "0123456789", count: 9_999) + "0"

  @Test("100,000 characters typed into the prompt are all there, and drawn with the cursor at the end")
  func longPaste() {
    var d = Driver()
    d.type(":")
    d.type(Self.pasted)
    #expect(d.state.prompt.characters.count == 100_000)
    #expect(d.state.prompt.text == Self.pasted)
    #expect(d.state.prompt.cursor == 100_000)
    let bottom = d.screen(100, 30).text.split(separator: "\n", omittingEmptySubsequences: false)[29]
    #expect(bottom.hasPrefix(":" + String(Self.pasted.suffix(97))))
    // Edits in the middle still work on the long line.
    d.press(.home, .delete)
    #expect(d.state.prompt.characters.first == "o")
    d.press(.end, .backspace)
    #expect(d.state.prompt.text == String(Self.pasted.dropFirst().dropLast()))
  }

  @Test("Enter on it: the parser's `line too long` at column 4097; Ctrl-C then cancels")
  func enterThenCancel() {
    var d = Driver()
    d.type(":")
    d.type(Self.pasted)
    d.press(.enter)
    #expect(d.state.prompt.failure?.column == 4097)
    #expect(d.state.prompt.failure?.message.hasPrefix("line too long") == true)
    d.press(.control("c"))
    #expect(d.state.prompt.characters.isEmpty)
    #expect(d.state.mode.kind == .normal)
  }
}
