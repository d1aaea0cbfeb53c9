import Engine

/// Reads a text trace (raw ftrace, `trace-cmd report`, `perf script`) into a `KVMTrace`: pure,
/// one pass over the bytes, then one over the events to give every event its vCPU.
public enum TraceReader {
  /// Reads `bytes`. Fails on binary input (NUL or invalid UTF-8; trace-cmd's `trace.dat` and
  /// `perf.data` are named), an empty trace, and a trace without KVM events.
  public static func read(_ bytes: [UInt8]) -> Result<KVMTrace, TraceInputError> {
    if let problem = binaryProblem(bytes) { return .failure(TraceInputError(message: problem)) }
    var events: [TracedEvent] = []
    var unused: [String: Int] = [:]
    var malformed: [(line: Int, event: String, expected: String)] = []
    var sawFlags = false
    var sawNoFlags = false
    var sawSystem = false
    var sawPluginFormat = false
    var ftraceHeader = false
    var traceCmdHeader = false
    var lineNumber = 0
    var start = 0
    let newline = UInt8(ascii: "\n")
    while start < bytes.count {
      lineNumber += 1
      var end = start
      while end < bytes.count, bytes[end] != newline { end += 1 }
      let next = end + 1
      if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
      defer { start = next }
      guard let line = TraceLine(bytes, from: start, to: end) else {
        var cursor = TraceBytes(bytes, from: start, to: end)
        cursor.skipSpaces()
        if cursor.atEnd {
          unused["blank", default: 0] += 1
        } else if cursor.peek == UInt8(ascii: "#") {
          if cursor.skip(past: "tracer:") { ftraceHeader = true }
          unused["header or comment", default: 0] += 1
        } else {
          if cursor.literal("cpus=") || cursor.literal("version =") { traceCmdHeader = true }
          unused["not an event line", default: 0] += 1
        }
        continue
      }
      let cursor = TraceBytes(bytes, from: line.body.lowerBound, to: line.body.upperBound)
      let name = cursor.string(line.event)
      guard KVMEvent.names.contains(name) else {
        unused[name, default: 0] += 1
        continue
      }
      if line.hasFlags { sawFlags = true } else { sawNoFlags = true }
      if line.hasSystem { sawSystem = true }
      switch KVMEvent.parse(name: name, cursor) {
      case .failure(let error):
        malformed.append((lineNumber, name, error.expected))
        unused["malformed " + name, default: 0] += 1
      case .success(let event):
        if case .exit(nil, _, _) = event { sawPluginFormat = true }
        events.append(
          TracedEvent(
            line: lineNumber, vcpu: event.vcpu ?? -1, thread: line.thread ?? (-1 - line.hostCPU),
            timestamp: cursor.string(line.timestamp), event: event))
      }
    }
    guard lineNumber > 0, bytes.contains(where: { !TraceBytes.isSpace($0) && $0 != newline && $0 != 13 })
    else {
      return .failure(TraceInputError(message: "the trace is empty"))
    }
    guard !events.isEmpty else {
      let message =
        malformed.isEmpty
        ? "no KVM events in \(lineNumber) line\(lineNumber == 1 ? "" : "s") (record them with "
          + "`trace-cmd record -e kvm`, `perf record -e 'kvm:*'` or by enabling events/kvm in tracefs)"
        : "no KVM event could be read: line \(malformed[0].line) is a \(malformed[0].event) line "
          + "that is not \(malformed[0].expected)"
      return .failure(TraceInputError(message: message))
    }
    let dialect: TraceDialect =
      sawSystem
      ? .perfScript
      : traceCmdHeader || sawPluginFormat || (!ftraceHeader && sawNoFlags && !sawFlags)
        ? .traceCmd : .rawFtrace
    let guessed = attributeVCPUs(&events)
    return .success(
      KVMTrace(
        dialect: dialect, events: events, lineCount: lineNumber, unused: unused, malformed: malformed,
        guessedVCPU: guessed))
  }

  /// Gives each event without a vCPU of its own the vCPU of the nearest earlier event of the same
  /// host thread that names one, else of the nearest later one, else 0. Returns whether any
  /// event fell back to 0.
  static func attributeVCPUs(_ events: inout [TracedEvent]) -> Bool {
    var current: [Int: Int] = [:]
    var pending: [Int: [Int]] = [:]
    for index in events.indices {
      let thread = events[index].thread
      if let own = events[index].event.vcpu {
        if let waiting = pending.removeValue(forKey: thread) {
          for earlier in waiting { events[earlier].vcpu = own }
        }
        current[thread] = own
      } else if let vcpu = current[thread] {
        events[index].vcpu = vcpu
      } else {
        pending[thread, default: []].append(index)
      }
    }
    var guessed = false
    for waiting in pending.values {
      for index in waiting {
        events[index].vcpu = 0
        guessed = true
      }
    }
    return guessed
  }

  /// Why `bytes` is not text, or `nil`.
  static func binaryProblem(_ bytes: [UInt8]) -> String? {
    let prefix = bytes.prefix(16)
    if prefix.starts(with: [0x17, 0x08, 0x44] + Array("tracing".utf8)) {
      return
        "this is trace-cmd's binary trace.dat: turn it into text with `trace-cmd report FILE > trace.txt`"
    }
    if prefix.starts(with: Array("PERFILE2".utf8)) {
      return "this is perf's binary perf.data: turn it into text with `perf script -i FILE > trace.txt`"
    }
    if let nul = bytes.firstIndex(of: 0) {
      return "not a text trace (byte 0x00 at offset \(nul))"
    }
    var offset = 0
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar): offset += UTF8.width(scalar)
      case .emptyInput: return nil
      case .error:
        let byte = offset < bytes.count ? bytes[offset] : 0
        return "not a text trace (invalid UTF-8: byte \(Hex.short(UInt64(byte))) at offset \(offset))"
      }
    }
  }
}
