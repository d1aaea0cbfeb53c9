import Foundation
import Testing
import TUI

/// Compares a screen with its golden text. With `CRPIN_UPDATE_GOLDENS=DIR` set, also writes
/// the actual text to `DIR/<function>.txt` so goldens can be refreshed after a deliberate change
/// (then review the diff).
func checkGolden(
  _ driver: Driver, _ width: Int, _ height: Int, _ golden: String, function: String = #function,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let text = driver.screen(width, height).text
  #expect(text == golden, sourceLocation: sourceLocation)
  if let directory = ProcessInfo.processInfo.environment["CRPIN_UPDATE_GOLDENS"] {
    let name = function.prefix { $0 != "(" }
    try? text.write(toFile: "\(directory)/\(name).txt", atomically: true, encoding: .utf8)
  }
}
