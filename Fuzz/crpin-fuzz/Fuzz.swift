import Engine
import Foundation
import Script

#if CRPIN_LIBFUZZER
  import CLibFuzzer
#endif

/// libFuzzer's entry point: one input, any bytes. Returns 0 (libFuzzer's "keep going"); a
/// finding is a crash, a failed check below, a timeout or too much memory.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  FuzzTarget.run(UnsafeBufferPointer(start: data, count: size))
  return 0
}

/// What every input goes through: the script parser and the engine, the way `crpin run`
/// (`ScriptStream`'s two passes over the raw bytes, read in small and large chunks),
/// `crpin explain` and the TUI's `:` prompt use them; then the other surfaces (`Surfaces.swift`:
/// dumps, `compare`, the exports, the prompt through the TUI's `update`). Any byte string must end in a parse
/// error or a trace; the checks are invariants that hold for every input.
enum FuzzTarget {
  /// Lines run one by one (as the TUI's `:` prompt does) at most.
  static let promptLines = 64

  static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
    // `crpin run` refuses invalid UTF-8 before parsing; decoding lossily (U+FFFD) still feeds
    // the parser every byte pattern a valid file can hold.
    let text = String(decoding: bytes, as: UTF8.self)
    let lines = ScriptLines.split(text)

    switch parseScript(text) {
    case .failure(let error): checkError(error, in: text, lineCount: lines.count)
    case .success: break
    }

    var firstText: [String] = []
    var firstReport: ScriptReport?
    for format in TraceFormat.allCases {
      var output: [String] = []
      let report = runScript(text, format: format) { output.append($0) }
      firstReport = firstReport ?? report
      if let error = report.error { checkError(error, in: text, lineCount: lines.count) }
      check((0...2).contains(report.exitCode), "exit code \(report.exitCode) outside 0...2")
      check(report.failures.count <= report.expectationsChecked, "more failures than expectations")
      if format == .text { firstText = output }
    }
    var again: [String] = []
    _ = runScript(text, format: .text) { again.append($0) }
    check(again == firstText, "the same script gave two different traces")
    checkStream(bytes, text: text, trace: firstText)

    var session = Session()
    for (index, line) in lines.prefix(promptLines).enumerated() {
      let line = String(line)
      let preview = try? session.preview(line: line, lineNumber: index + 1)
      let ran = try? session.run(line: line, lineNumber: index + 1)
      check((preview == nil) == (ran == nil), "preview and run disagree on line \(index + 1)")
    }

    if let firstReport { runSurfaces(text: text, lines: lines, report: firstReport) }

    if let first = lines.first.map(String.init) {
      if case .success(let value) = Explain.value(first) {
        _ = Explain.register(.cr0, value: value)
        _ = Explain.register(.cr4, value: value)
      }
      _ = Explain.msr(first)
    }
  }

  /// `crpin run`'s path: the raw bytes through `ScriptStream`, read 7 bytes at a time (so
  /// chunks cut lines and characters) and in one piece. Both readings agree; invalid UTF-8 is
  /// found exactly when the bytes are not UTF-8; a valid script traces as `runScript` does.
  private static func checkStream(_ bytes: UnsafeBufferPointer<UInt8>, text: String, trace: [String]) {
    let array = Array(bytes)
    let problem = ScriptStream.check(ChunkedInput(array, chunk: 7), initialVCPUs: 1)
    let whole = ScriptStream.check(TextInput(bytes: array), initialVCPUs: 1)
    check(problem == whole, "the stream's first pass depends on how the bytes are cut")
    let valid = String(validating: array, as: UTF8.self) != nil
    if case .encoding = problem {
      check(!valid, "valid UTF-8 reported as invalid")
      return
    }
    check(valid, "invalid UTF-8 not reported")
    guard problem == nil else { return }
    var driver = ScriptDriver(format: .text)
    var output: [String] = []
    let failure = ScriptStream.run(ChunkedInput(array, chunk: 7), driver: &driver) { output.append($0.text) }
    check(failure == nil, "reading from memory failed")
    check(output == trace, "the stream's trace differs from runScript's")
  }

  private static func checkError(_ error: ScriptError, in text: String, lineCount: Int) {
    check((1...max(1, lineCount)).contains(error.line), "error on line \(error.line) of \(lineCount)")
    check(error.column >= 1, "error at column \(error.column)")
    check(!error.message.isEmpty, "error without a message")
    let rendered = error.rendered(path: "fuzz", sourceLine: ScriptLines.line(error.line, of: text))
    check(rendered.hasPrefix("fuzz:\(error.line):\(error.column): error: "), "badly rendered error")
  }

  /// A failed invariant: crash, so libFuzzer records the input.
  static func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
  }
}

/// Bytes handed on at most `chunk` at a time.
struct ChunkedInput: ScriptInput {
  let bytes: [UInt8]
  let chunk: Int
  var position = 0

  init(_ bytes: [UInt8], chunk: Int) {
    self.bytes = bytes
    self.chunk = chunk
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    let count = min(chunk, buffer.count, bytes.count - position)
    for index in 0..<count { buffer[index] = bytes[position + index] }
    position += count
    return count
  }
}

/// `crpin-fuzz --scenarios DIR`: every built-in scenario's script into DIR as a seed, named
/// `scenario-ID.crpin`; then exit.
enum Seeds {
  static func writeScenarios(_ arguments: [String]) -> Never {
    guard arguments.count == 2, let directory = arguments.last else {
      FileHandle.standardError.write(Data("usage: crpin-fuzz --scenarios DIR\n".utf8))
      exit(2)
    }
    for scenario in Scenario.all {
      let path = directory + "/scenario-" + scenario.id + ".crpin"
      guard FileManager.default.createFile(atPath: path, contents: Data(scenario.source.utf8)) else {
        FileHandle.standardError.write(Data("crpin-fuzz: cannot write \(path)\n".utf8))
        exit(2)
      }
    }
    exit(0)
  }
}

#if CRPIN_LIBFUZZER
  /// The fuzz build: libFuzzer's driver (`crpin-fuzz -help=1` lists its options), or
  /// `--scenarios DIR`.
  @main
  enum FuzzMain {
    static func main() {
      let arguments = Array(CommandLine.arguments.dropFirst())
      if arguments.first == "--scenarios" { Seeds.writeScenarios(arguments) }
      var argc = CommandLine.argc
      var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
      exit(
        LLVMFuzzerRunDriver(&argc, &argv) { data, size in
          FuzzTarget.run(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
          return 0
        })
    }
  }
#else
  /// The ordinary build: `crpin-fuzz FILE|DIR...` runs each input (each file of each directory)
  /// through the fuzz target once, so the tests replay the corpus and every past finding
  /// without libFuzzer. Exit 0 when all ran; a broken invariant crashes. Or `--scenarios DIR`.
  @main
  enum Reproducer {
    static func main() {
      let paths = CommandLine.arguments.dropFirst()
      guard !paths.isEmpty else {
        FileHandle.standardError.write(Data("usage: crpin-fuzz FILE|DIR... | --scenarios DIR\n".utf8))
        exit(2)
      }
      if paths.first == "--scenarios" { Seeds.writeScenarios(Array(paths)) }
      var count = 0
      for path in paths {
        for file in files(at: path) {
          guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("crpin-fuzz: cannot read \(file)\n".utf8))
            exit(2)
          }
          data.withUnsafeBytes { raw in
            FuzzTarget.run(
              UnsafeBufferPointer(start: raw.bindMemory(to: UInt8.self).baseAddress, count: raw.count))
          }
          count += 1
        }
      }
      print("\(count) inputs ran")
    }

    /// `path` itself, or the regular files directly in it (sorted), if it is a directory.
    static func files(at path: String) -> [String] {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue
      else { return [path] }
      let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
      return names.sorted().filter { !$0.hasPrefix(".") }.map { path + "/" + $0 }
    }
  }
#endif
