import ArgumentParser

extension Crpin {
  /// Runs crpin like `ParsableCommand.main()` does, except that command-line usage errors
  /// exit with status 2 (ArgumentParser's default is 64, EX_USAGE), as `crpin run`'s own
  /// parse errors do, and that standard output is flushed and checked before exiting (status 3
  /// when it cannot be written; see `Console`).
  static func main() {
    Console.prepare()
    do {
      var command = try parseAsRoot()
      try command.run()
      Console.finish()
      exit(withError: nil)
    } catch {
      let code = exitCode(for: error)
      let message = fullMessage(for: error)
      if code == .validationFailure {
        Console.error(message)
        Console.finish()
        exit(withError: ExitCode(2))
      }
      if !message.isEmpty {
        if code == .success { Console.out(message) } else { Console.error(message) }
      }
      Console.finish()
      exit(withError: code)
    }
  }
}
