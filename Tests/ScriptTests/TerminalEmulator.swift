/// Just enough of a terminal to read back an asciicast frame: printable characters, cursor
/// positioning (`ESC [ r ; c H`, `ESC [ H`), clearing (`ESC [ 2 J`); SGR is ignored.
enum TerminalEmulator {
  /// The screen after `output`, one line per row, trailing spaces trimmed.
  static func screen(_ output: String, width: Int, height: Int) -> String {
    var grid = Array(repeating: Array(repeating: Character(" "), count: width), count: height)
    var row = 0
    var column = 0
    var scalars = Array(output.unicodeScalars)[...]
    while let scalar = scalars.popFirst() {
      guard scalar == "\u{1b}" else {
        if row < height, column < width { grid[row][column] = Character(scalar) }
        column += 1
        continue
      }
      guard scalars.popFirst() == "[" else { continue }
      var parameters = ""
      var final: Unicode.Scalar = "m"
      while let next = scalars.popFirst() {
        if next.value >= 0x40, next.value <= 0x7e {
          final = next
          break
        }
        parameters.unicodeScalars.append(next)
      }
      let numbers = parameters.split(separator: ";").compactMap { Int($0) }
      switch final {
      case "H":
        row = (numbers.first ?? 1) - 1
        column = (numbers.count > 1 ? numbers[1] : 1) - 1
      case "J" where numbers == [2]:
        grid = Array(repeating: Array(repeating: Character(" "), count: width), count: height)
      default:
        break
      }
    }
    return grid.map { line in
      var text = String(line)
      while text.last == " " { text.removeLast() }
      return text
    }.joined(separator: "\n")
  }
}
