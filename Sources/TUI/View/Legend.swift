/// What the symbols in the register panel mean, in words as well as symbols so nothing rests
/// on colour.
enum Legend {
  static let lines: [[Run]] = [
    [Run("▲", .pinned), Run(" pinned high "), Run("▼", .pinned), Run(" low")],
    [Run("◦", .dim), Run(" pinnable, free")],
    [Run("·", .dim), Run(" reserved for KVM")],
    [Run("[1]", .cursor), Run(" cursor "), Run("!1!", .cursorAlarm), Run(" #GP")],
  ]

  static func draw(into screen: inout Screen, row: Int, column: Int, limit: Int) {
    guard limit - column >= 16 else { return }
    for (offset, line) in lines.enumerated() {
      screen.put(runs: line, row: row + offset, column: column, limit: limit)
    }
  }
}
