import Engine

/// How `crpin compare` prints a comparison.
public enum ComparisonFormat: String, CaseIterable, Sendable {
  /// An aligned matrix for a terminal.
  case text
  /// `crpin run`'s JSON-lines records, each with `mechanism` first, column after column.
  case jsonl
  /// GitHub-flavoured Markdown tables.
  case markdown
}

extension Comparison {
  /// The end-state rows: per vCPU, CR0 and CR4, the pins in force (`effectivePins`: `1:` bits
  /// held set, `0:` bits held clear), VTL1's intercepts when any, and whether the VM stopped.
  public var endState: [(label: String, cells: [String])] {
    guard let count = finals.map(\.vcpus.count).max() else { return [] }
    var rows: [(String, [String])] = []
    for index in 0..<count {
      let prefix = count > 1 ? "vCPU \(index) " : ""
      func cells(_ cell: (VirtualMachine, VCPU) -> String) -> [String] {
        finals.map { vm in vm.vcpus.indices.contains(index) ? cell(vm, vm.vcpus[index]) : "" }
      }
      rows.append((prefix + "CR0", cells { Hex.short($1.registers.cr0) }))
      rows.append((prefix + "CR4", cells { Hex.short($1.registers.cr4) }))
      for register in PinnableRegister.allCases {
        rows.append(
          (
            prefix + "pinned \(register.displayName)",
            cells { vm, _ in Self.pins(vm.effectivePins(on: index), register) }
          ))
      }
      let lines = finals.map { $0.designStateLine(on: index) }
      var labels: [String] = []
      for case let line? in lines where !labels.contains(line.label) { labels.append(line.label) }
      for label in labels {
        rows.append((prefix + label, lines.map { $0?.label == label ? $0?.value ?? "-" : "-" }))
      }
    }
    if finals.contains(where: \.stopped) {
      rows.append(("VM", finals.map { $0.stopped ? "stopped" : "runs" }))
    }
    return rows
  }

  private static func pins(_ pins: PinMasks, _ register: PinnableRegister) -> String {
    let high = pins.high(register)
    let low = pins.low(register)
    func names(_ mask: UInt64) -> String {
      BitCatalog.names(in: mask, of: register).replacing(", ", with: " ")
    }
    switch (high, low) {
    case (0, 0): return "-"
    case (_, 0): return names(high)
    case (0, _): return "0: " + names(low)
    default: return names(high) + "; 0: " + names(low)
    }
  }

  /// One line on the `expect[M]` lines: how many were checked, and how many failed (a ✗ marks
  /// the step before a failed one); `nil` when the script has none.
  public var expectationSummary: String? {
    guard expectationsChecked > 0 else { return nil }
    return failures.isEmpty
      ? "all \(expectationsChecked) expect[…] checks held"
      : "\(failures.count) of \(expectationsChecked) expect[…] checks FAILED (✗)"
  }

  /// The comparison in `format` (no trailing newline); control characters in a statement's
  /// text become `?` (`TerminalSafe`; JSON escapes them).
  public func rendered(_ format: ComparisonFormat) -> String {
    switch format {
    case .jsonl: jsonLines.joined(separator: "\n")
    case .text: TerminalSafe.text(text)
    case .markdown: TerminalSafe.text(markdown)
    }
  }

  private var headers: [String] { columns.map(\.label) }

  private var text: String {
    let labels = rows.map { Self.shorten(String($0.line), $0.text) }
    let stateLabels = endState.map { "  " + $0.label }
    let labelWidth = max(([0] + labels.map(\.count) + stateLabels.map(\.count)).max() ?? 0, 4) + 2
    let widths = columns.indices.map { column in
      ([headers[column]] + rows.map { $0.cells[column] } + endState.map { $0.cells[column] })
        .map(\.count).max().map { $0 + 2 } ?? 0
    }
    func line(_ label: String, _ cells: [String]) -> String {
      var text = TextTrace.pad(label, labelWidth)
      for (cell, width) in zip(cells, widths) { text += TextTrace.pad(cell, width) }
      while text.hasSuffix(" ") { text.removeLast() }
      return text
    }
    var lines = [line("step", headers)]
    for (row, label) in zip(rows, labels) { lines.append(line(label, row.cells)) }
    lines.append("")
    lines.append(line("end state", headers))
    for (row, label) in zip(endState, stateLabels) { lines.append(line(label, row.cells)) }
    if let summary = expectationSummary { lines += ["", summary] }
    return lines.joined(separator: "\n")
  }

  /// `  12  kernel write cr4, cr4 & ~SMEP`, cut at 44 characters.
  private static func shorten(_ line: String, _ text: String) -> String {
    let cut = text.count > 44 ? String(text.prefix(43)) + "…" : text
    return String(repeating: " ", count: max(0, 4 - line.count)) + line + "  " + cut
  }

  private var markdown: String {
    func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }
    func code(_ text: String) -> String { "`" + text.replacing("|", with: "\\|") + "`" }
    var lines = [
      row(["line", "step"] + headers),
      row(["---:", "---"] + headers.map { _ in "---" }),
    ]
    for step in rows {
      lines.append(row([String(step.line), code(step.text)] + step.cells.map { $0.isEmpty ? " " : $0 }))
    }
    lines.append("")
    lines.append(row(["end state"] + headers))
    lines.append(row(["---"] + headers.map { _ in "---" }))
    for state in endState {
      lines.append(row([state.label] + state.cells.map { $0.replacing("|", with: "\\|") }))
    }
    if let summary = expectationSummary { lines += ["", summary] }
    return lines.joined(separator: "\n")
  }
}
