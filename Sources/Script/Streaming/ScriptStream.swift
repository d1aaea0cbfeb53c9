/// Why a script did not run: it could not be read, it is not UTF-8, or a line does not parse.
public enum ScriptProblem: Error, Equatable, Sendable {
  /// Reading failed (the message is worded).
  case input(ScriptInputFailure)
  /// A byte is not UTF-8.
  case encoding(EncodingFailure)
  /// A statement does not parse, or breaks the order of statements; `source` is its line (cut
  /// after about 4,200 characters), for the error's excerpt.
  case script(ScriptError, source: String)
}

/// A script read as a stream, in two passes: `check` reads it to the end and reports the first
/// problem (so nothing runs when one line is wrong), then `run` reads it again and runs each
/// line as it is read. Neither keeps more than a chunk and a line of the script.
public enum ScriptStream {
  /// The first pass: every byte checked to be UTF-8 (when `checkingEncoding`), every line
  /// parsed, the order of statements checked (`vcpus N` first, `vcpu N` within the VM that
  /// starts with `initialVCPUs` vCPUs). Invalid UTF-8 anywhere is reported before a parse
  /// error, as when the whole file was decoded first. nil when the script can run.
  public static func check(
    _ input: some ScriptInput, initialVCPUs: Int, checkingEncoding: Bool = true
  ) -> ScriptProblem? {
    var reader = LineReader(input, checkingEncoding: checkingEncoding)
    return check(&reader, initialVCPUs: initialVCPUs)
  }

  /// `check`'s loop, not generic. After a parse error it only reads on (for an encoding error
  /// later in the file, which is reported first).
  private static func check(_ reader: inout LineReader, initialVCPUs: Int) -> ScriptProblem? {
    var parser = LineParser()
    var order = StatementOrder(initialVCPUs: initialVCPUs)
    var problem: ScriptProblem?
    do throws(ScriptInputFailure) {
      while let range = try reader.next() {
        if let failure = reader.encodingFailure { return .encoding(failure) }
        let number = reader.lineNumber
        let bytes = reader.buffer
        do throws(ScriptError) {
          try parser.check(bytes, range, number: number, order: &order)
        } catch {
          let source = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
          problem = .script(error, source: source)
          break
        }
      }
      if problem != nil {
        while try reader.next() != nil {
          if let failure = reader.encodingFailure { return .encoding(failure) }
        }
      }
    } catch {
      return .input(error)
    }
    if let failure = reader.encodingFailure { return .encoding(failure) }
    return problem
  }

  /// The second pass: runs each line through `driver` as it is read, its trace handed to
  /// `emit`. Call `check` first. A read failure ends the run and is returned (after what the
  /// lines before it traced).
  public static func run(
    _ input: some ScriptInput, driver: inout ScriptDriver, emit: ScriptDriver.TraceSink
  ) -> ScriptInputFailure? {
    var reader = LineReader(input)
    return run(&reader, driver: &driver, emit: emit)
  }

  /// `run`'s loop, not generic.
  private static func run(
    _ reader: inout LineReader, driver: inout ScriptDriver, emit: ScriptDriver.TraceSink
  ) -> ScriptInputFailure? {
    driver.begin(emit: emit)
    do throws(ScriptInputFailure) {
      while !driver.stopped, let range = try reader.next() {
        let number = reader.lineNumber
        driver.runLine(reader.buffer, range, number: number, emit: emit)
      }
    } catch {
      driver.flushChunk(emit: emit)
      return error
    }
    driver.finish(emit: emit)
    return nil
  }
}
