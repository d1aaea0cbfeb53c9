/// A rectangle of screen cells.
struct Rect: Equatable, Sendable {
  var row: Int
  var column: Int
  var width: Int
  var height: Int

  var bottom: Int { row + height - 1 }
  var right: Int { column + width - 1 }

  /// The area inside a one-cell border.
  var inner: Rect { Rect(row: row + 1, column: column + 1, width: width - 2, height: height - 2) }
}
