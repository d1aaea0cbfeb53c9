import Script

/// `script_statements_per_s`: parse and run a generated script, output discarded
/// (`runScript(_:session:)`, the runner without a trace).
enum ScriptBench {
  /// A script of `count` statements cycling through the everyday ones.
  static func source(statements count: Int) -> String {
    let cycle = [
      "mov cr4, cr4 & ~SMEP", "set cr4.PKE", "clear cr4.PKE", "wrmsr CR4_PINNED_HIGH, SMEP | SMAP | UMIP",
      "mov cr0, cr0 | WP", "rdmsr CR4_PINNED_HIGH", "host rdmsr CR0_PINNED_HIGH", "mov cr3, 0xb41c000",
    ]
    var text = ""
    text.reserveCapacity(count * 24)
    for index in 0..<count {
      text += cycle[index % cycle.count]
      text += "\n"
    }
    return text
  }

  /// Statements per second for parse + run of `count` statements.
  static func statementsPerSecond(statements count: Int) -> Double {
    let text = source(statements: count)
    let elapsed = measure {
      let report = runScript(text)
      blackHole(report.exitCode)
    }
    return Double(count) / (Double(elapsed) / 1e9)
  }
}
