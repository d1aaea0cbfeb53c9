/// What the symbols in the register panel mean, in words as well as symbols so nothing rests
/// on colour.
enum Legend {
  /// The legend's lines; under vtl1 the first line explains the intercept symbol instead of
  /// the pin symbols.
  static func lines(interceptsOnly: Bool) -> [[Run]] {
    [
      interceptsOnly
        ? [Run("◆", .pinned), Run(" VTL1 intercepts it")]
        : [
          Run("▲", .pinned), Run(" pinned high "), Run("▼", .pinned), Run(" low "), Run("◦", .dim),
          Run(" free"),
        ],
      [Run("1↑ 0↓", .changed), Run(" set/cleared now")],
      [Run("1↕", .changed), Run(" put back "), Run("·", .dim), Run(" reserved")],
      [Run("[1]", .cursor), Run(" cursor "), Run("!1!", .cursorAlarm), Run(" #GP")],
    ]
  }

  static func draw(into screen: inout Screen, row: Int, column: Int, limit: Int, interceptsOnly: Bool) {
    guard limit - column >= 16 else { return }
    for (offset, line) in lines(interceptsOnly: interceptsOnly).enumerated() {
      screen.put(runs: line, row: row + offset, column: column, limit: limit)
    }
  }
}
