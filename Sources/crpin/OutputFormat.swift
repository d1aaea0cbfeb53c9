import ArgumentParser
import Script

/// `--format text|jsonl`.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
  case text
  case jsonl

  /// The Script module's formatter.
  var trace: TraceFormat {
    switch self {
    case .text: .text
    case .jsonl: .jsonl
    }
  }
}
