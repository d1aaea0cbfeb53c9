/// One character cell of the screen: a single Unicode scalar and the role it plays.
public struct Cell: Equatable, Sendable {
  /// The character shown (one column wide).
  public var scalar: Unicode.Scalar
  /// What the character means; the theme decides how it looks.
  public var role: Role

  /// A cell showing `scalar` in `role`.
  public init(_ scalar: Unicode.Scalar, _ role: Role = .normal) {
    self.scalar = scalar
    self.role = role
  }

  /// An empty cell.
  public static let blank = Cell(" ")
}
