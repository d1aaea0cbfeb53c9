import Testing

@testable import CursesBackend

@Suite("Display scalars")
struct DisplayScalarTests {
  @Test("Control characters become question marks", arguments: [0x00, 0x09, 0x1B, 0x7F, 0x85])
  func controls(value: UInt32) {
    guard let scalar = Unicode.Scalar(value) else { return }
    #expect(displayScalar(scalar, unicode: true) == "?")
    #expect(displayScalar(scalar, unicode: false) == "?")
  }

  @Test("Unicode passes through when the locale can show it")
  func unicode() {
    for scalar in "a─│┌▲▼é".unicodeScalars {
      #expect(displayScalar(scalar, unicode: true) == scalar)
    }
  }

  @Test(
    "ASCII fallbacks",
    arguments: [
      ("─", "-"), ("═", "-"), ("│", "|"), ("║", "|"), ("┌", "+"), ("┼", "+"), ("╯", "+"),
      ("▲", "^"), ("▼", "v"), ("►", ">"), ("•", "*"), ("é", "?"), ("a", "a"),
    ] as [(Unicode.Scalar, Unicode.Scalar)])
  func ascii(scalar: Unicode.Scalar, expected: Unicode.Scalar) {
    #expect(displayScalar(scalar, unicode: false) == expected)
  }
}
