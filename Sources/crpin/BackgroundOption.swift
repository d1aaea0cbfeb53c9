import ArgumentParser
import CursesBackend

/// `--background auto|light|dark`.
extension BackgroundPreference: ExpressibleByArgument {}
