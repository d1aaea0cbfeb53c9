import ArgumentParser
import Foundation

extension Crpin {
  /// Runs crpin like `ParsableCommand.main()` does, except that command-line usage errors
  /// exit with status 2 (ArgumentParser's default is 64, EX_USAGE), as `crpin run`'s own
  /// parse errors do.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      if exitCode(for: error) == .validationFailure {
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(2)
      }
      exit(withError: error)
    }
  }
}
