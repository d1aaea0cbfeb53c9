import Engine

extension Session {
  /// Checks an `expect` line against the previous action and the selected vCPU now.
  func check(_ expectation: Expectation, line: Int) throws(ScriptError) -> ExpectationResult {
    // The previous outcome's parts are read where they are (copying the outcome would retain
    // the whole VM it keeps).
    switch expectation {
    case .outcome(let kind):
      guard let previous = lastOutcome?.kind else { return Self.nothingRan(kind.display) }
      return ExpectationResult(holds: previous == kind, expected: kind.display, actual: previous.display)
    case .rule(let rule):
      guard let rules = lastOutcome?.rules else { return Self.nothingRan("rule \(rule.rawValue)") }
      let fired = rules.map(\.id.rawValue)
      return ExpectationResult(
        holds: rules.contains { $0.id == rule }, expected: "rule \(rule.rawValue)",
        actual: fired.isEmpty ? "no rules" : "rules " + fired.joined(separator: ", "))
    case .note(let text):
      guard let notes = lastOutcome?.notes else {
        return Self.nothingRan("a note containing \"\(text)\"")
      }
      let holds = notes.contains { $0.lowercased().contains(text.lowercased()) }
      return ExpectationResult(
        holds: holds, expected: "a note containing \"\(text)\"",
        actual: notes.isEmpty ? "no notes" : "notes: " + notes.joined(separator: " | "))
    case .compare(let target, let equal, let operand):
      let index = min(selectedVCPU, vm.vcpus.count - 1)
      let relation = equal ? "==" : "!="
      let wanted: UInt64
      let found: UInt64?
      do {
        wanted = try operand.expression.evaluate(in: vm, on: index, line: line, column: operand.column)
        found = try value(of: target, index: index, line: line, column: operand.column)
      } catch  where error.atRunTime {
        // `smram.X` outside SMM: a claim about state the run is not in fails, it does not stop.
        return ExpectationResult(
          holds: false, expected: "\(target.displayName) \(relation) …", actual: "no value: " + error.message)
      }
      guard let actual = found else {
        return ExpectationResult(
          holds: false, expected: "\(target.displayName) \(relation) \(Hex.short(wanted))",
          actual: lastOutcome?.kind == nil
            ? "no statement ran before this expect" : "the previous statement read no value")
      }
      let isFlag = target.isFlag
      let same = isFlag ? (actual != 0) == (wanted != 0) : actual == wanted
      func show(_ value: UInt64) -> String { isFlag ? (value != 0 ? "1" : "0") : Hex.short(value) }
      return ExpectationResult(
        holds: same == equal, expected: "\(target.displayName) \(relation) \(show(wanted))",
        actual: show(actual))
    }
  }

  private static func nothingRan(_ expected: String) -> ExpectationResult {
    ExpectationResult(holds: false, expected: expected, actual: "no statement ran before this expect")
  }

  private func value(of target: ExpectTarget, index: Int, line: Int, column: Int) throws(ScriptError)
    -> UInt64?
  {
    let vcpu = vm.vcpus[index]
    switch target {
    case .register(let name): return vcpu.registers[name]
    case .bit(let bit):
      return vcpu.registers[bit.register.controlRegister.register] & bit.mask == 0 ? 0 : 1
    case .pins(let field): return field.value(in: vm.effectivePins(on: index))
    case .smram(let name):
      return try Expression.smram(name).evaluate(in: vm, on: index, line: line, column: column)
    case .value: return lastOutcome?.value
    case .smm: return vcpu.inSMM ? 1 : 0
    case .l2: return vcpu.inL2 ? 1 : 0
    case .stopped: return vm.stopped ? 1 : 0
    }
  }
}

extension ExpectTarget {
  /// Whether the target is a 0/1 flag (compared as true/false).
  var isFlag: Bool {
    switch self {
    case .bit, .smm, .l2, .stopped: true
    case .register, .pins, .smram, .value: false
    }
  }
}
