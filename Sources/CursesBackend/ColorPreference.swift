/// Whether the terminal session may use colour.
public enum ColorPreference: Sendable, Equatable {
  /// Colour when the terminal has it and `NO_COLOR` is not set.
  case auto
  /// Never colour: the monochrome theme.
  case never
}
