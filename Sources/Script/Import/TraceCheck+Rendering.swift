import Engine

extension TraceCheck {
  /// The report `crpin check trace` prints: a section per phase with the actions some design
  /// refuses or changes (a table: trace line, vCPU, statement, the trace's host, each design),
  /// then each design's first break, then the notes.
  public func rendered(trace: KVMTrace, notes: [String], source: String) -> String {
    var out: [String] = []
    let vcpus = Set(trace.events.map(\.vcpu)).sorted().map(String.init).joined(separator: ", ")
    out.append(
      "\(source): \(trace.dialect.rawValue), \(Plural.count(trace.lineCount, "line")), "
        + "\(Plural.count(trace.events.count, "KVM event")), "
        + "vCPU\(vcpus.contains(",") ? "s" : "") \(vcpus)")
    out.append(
      "each design's guest booted as crpin's does, then this trace replayed (`crpin import trace`);")
    out.append("\"trace\" is the recording host: no CR pinning (crpin's none)")
    for phase in TracePhase.allCases {
      out.append("")
      let count = actionsByPhase[phase] ?? 0
      let inPhase = findings.filter { $0.phase == phase }
      var heading = "\(phase.rawValue): "
      if count == 0 {
        out.append(heading + "no actions in the trace")
        continue
      }
      let onVCPUs = (vcpusByPhase[phase] ?? []).sorted().map(String.init).joined(separator: ", ")
      heading += "\(Plural.count(count, "action")) on vCPU\(onVCPUs.contains(",") ? "s" : "") \(onVCPUs)"
      heading +=
        inPhase.isEmpty ? ", every design lets them all stand" : ", \(inPhase.count) refused or changed"
      out.append(heading)
      guard !inPhase.isEmpty else { continue }
      var table = [["line", "vCPU", "action", "trace"] + mechanisms.map(\.rawValue)]
      for finding in inPhase {
        table.append(
          ["\(finding.traceLine)", "\(finding.vcpu)", finding.statement, finding.reference] + finding.cells)
      }
      out += Self.columns(table).map { "  " + $0 }
    }
    out.append("")
    out.append("first action each design would have broken:")
    let width = mechanisms.map(\.rawValue.count).max() ?? 0
    for mechanism in mechanisms {
      let name = mechanism.rawValue.padding(width)
      guard let finding = firstBreak(mechanism), let column = mechanisms.firstIndex(of: mechanism) else {
        out.append("  \(name)  none: every action stands as in the trace")
        continue
      }
      let cell = finding.cells[column]
      let verb = Self.refuses(cell) ? "refuses" : "changes"
      out.append(
        "  \(name)  line \(finding.traceLine) (\(finding.phase.rawValue), vCPU \(finding.vcpu), "
          + "\(finding.timestamp)): \(verb) `\(finding.statement)`: \(cell), the trace: \(finding.reference)")
    }
    if !disagreements.isEmpty {
      out.append("")
      out.append("crpin's model disagrees with the trace (read these rows with care):")
      out += disagreements.map { "  - " + $0 }
    }
    if !errors.isEmpty {
      out.append("")
      out.append("errors:")
      out += errors.map { "  - " + $0 }
    }
    var all = notes
    if let summary = trace.unusedSummary { all.append(summary) }
    if !all.isEmpty {
      out.append("")
      out.append("notes:")
      for note in all {
        let wrapped = TraceNotes.wrap(note, width: 96)
        out += wrapped.enumerated().map { ($0.offset == 0 ? "  - " : "    ") + $0.element }
      }
    }
    return out.joined(separator: "\n") + "\n"
  }

  /// Rows padded into aligned columns (two spaces between), trailing spaces removed.
  static func columns(_ rows: [[String]]) -> [String] {
    let count = rows.map(\.count).max() ?? 0
    let widths = (0..<count).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
    }
    return rows.map { row in
      var line = ""
      for (column, cell) in row.enumerated() {
        line += column == row.count - 1 ? cell : cell.padding(widths[column]) + "  "
      }
      while line.last == " " { line.removeLast() }
      return line
    }
  }
}

extension String {
  fileprivate func padding(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
