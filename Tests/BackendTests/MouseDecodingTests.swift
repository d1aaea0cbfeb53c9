import CNCurses
import TUI
import Testing

@testable import CursesBackend

@Suite("Mouse decoding")
struct MouseDecodingTests {
  @Test("Button 1 pressed or clicked is a click")
  func clicks() {
    #expect(
      decodeMouse(state: crpin_button1_pressed(), row: 4, column: 9) == .click(row: 4, column: 9))
    #expect(
      decodeMouse(state: crpin_button1_clicked(), row: 0, column: 0) == .click(row: 0, column: 0))
  }

  @Test("Buttons 4 and 5 are the wheel")
  func wheel() {
    #expect(
      decodeMouse(state: crpin_button4_pressed(), row: 3, column: 2)
        == .scroll(row: 3, column: 2, delta: -1))
    #expect(
      decodeMouse(state: crpin_button5_pressed(), row: 3, column: 2)
        == .scroll(row: 3, column: 2, delta: 1))
  }

  @Test("Other reports are ignored")
  func ignored() {
    #expect(decodeMouse(state: 0, row: 1, column: 1) == nil)
    #expect(decodeMouse(state: crpin_button1_released(), row: 1, column: 1) == nil)
  }

  @Test("The session asks for every event it decodes")
  func wanted() {
    let mask = wantedMouseEvents()
    for button in [
      crpin_button1_pressed(), crpin_button1_clicked(), crpin_button4_pressed(),
      crpin_button5_pressed(),
    ] {
      #expect(mask & button == button)
    }
  }
}
