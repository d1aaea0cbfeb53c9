import Engine
import RealKVM
import Script

/// `crpin run FILE --kvm`: the script on the model and on this machine's real KVM, side by
/// side. The trace gains the real outcome and registers per statement, a mark where they
/// differ and a summary; exit status 4 when they differ (`differStatus`).
enum KVMRun {
  /// The exit status when the model and the real KVM differ on a statement (before 1, an
  /// `expect` that failed; a usage, parse or KVM error is still 2).
  static let differStatus: Int32 = 4

  /// Opens the real vCPU, or says in one line why not (then exit 2).
  static func openRealVCPU() -> RealVCPU? {
    do {
      return try RealVCPU()
    } catch {
      Console.error("crpin: error: \(error.message)")
      return nil
    }
  }

  /// Runs `text` on both and prints the combined trace; returns the exit status.
  static func run(_ text: String, path: String, format: OutputFormat) -> Int32 {
    let statements: [ParsedStatement]
    switch parseScript(text) {
    case .failure(let error):
      Console.error(error.rendered(path: path, sourceLine: ScriptLines.line(error.line, of: text)))
      return 2
    case .success(let parsed): statements = parsed
    }
    guard let real = openRealVCPU() else { return 2 }
    var dual = DualSession(real: real)
    Console.out(format == .text ? KVMReport.textHeader(dual) : KVMReport.jsonHeader(dual))
    if format == .text, let header = format.trace.header { Console.out(header) }
    var narration: [String] = []
    var failures: [(line: Int, text: String, message: String)] = []
    var checked = 0
    for statement in statements {
      if case .narration(let line) = statement.command {
        narration.append(line)
        continue
      }
      if !narration.isEmpty {
        let paragraphs = narration.split(separator: "").map { $0.joined(separator: " ") }
        if let text = format.trace.renderNarration(paragraphs) { Console.out(text) }
        narration = []
      }
      let step: DualStep?
      do throws(ScriptError) {
        step = try dual.run(statement)
      } catch {
        Console.error(error.rendered(path: path, sourceLine: ScriptLines.line(error.line, of: text)))
        return 2
      }
      guard let step else { continue }
      if let result = step.record.expectation, !result.skipped {
        checked += 1
        if !result.holds {
          failures.append((step.record.line, step.record.text, result.message))
        }
      }
      guard let model = format.trace.render(step.record, session: dual.session) else { continue }
      Console.out(format == .text ? KVMReport.text(model, step) : KVMReport.json(model, step))
    }
    for failure in failures {
      Console.error("\(path):\(failure.line): expectation failed: \(failure.text): \(failure.message)")
    }
    let summary = dual.summary
    if format == .text {
      if checked > 0 {
        Console.out(
          failures.isEmpty
            ? "\nall \(checked) expectations held" : "\n\(failures.count) of \(checked) expectations FAILED")
      }
      Console.out("\nreal KVM: \(summary.line)")
    } else {
      Console.out(KVMReport.jsonSummary(summary))
    }
    return summary.differ > 0 ? differStatus : failures.isEmpty ? 0 : 1
  }
}
