import Engine

extension AppState {
  mutating func normalKey(_ key: Key) -> [Effect] {
    if key == .escape {
      if playback?.autoplay == true { playback?.autoplay = false }
      return []
    }
    guard let command = Keymap.command(for: key) else {
      return []
    }
    return perform(command)
  }

  /// Carries out a register-view command.
  mutating func perform(_ command: KeyCommand) -> [Effect] {
    let register = cursor.register
    let registers = currentVCPU.registers
    switch command {
    case .move(let step): cursor = cursor.moved(by: step)
    case .moveToEnd(let first): cursor = cursor.atEnd(first: first)
    case .switchRegister: cursor = cursor.switchedRegister(columnOf: BitColumns.valueColumn(of:))
    case .toggle:
      return act(.mov(register.controlRegister, registers[register.controlRegister.register] ^ cursor.mask))
    case .kernelToggle:
      return act(.kernelWrite(register, registers[register.controlRegister.register] ^ cursor.mask))
    case .guestPin(let high): return pinKey(.guestPin(high: high))
    case .hostPin(let high): return pinKey(.hostPin(high: high))
    case .hostUnpin: return pinKey(.hostUnpin)
    case .guestReadPins: return pinKey(.guestRead)
    case .smm: return act(currentVCPU.inSMM ? .rsm : .smi)
    case .nested: return act(currentVCPU.inL2 ? .vmexit : .vmentry)
    case .reset: return act(.reset)
    case .reboot: return act(.reboot(keepPins: false))
    case .boot: return act(.boot)
    case .option(let name): return act(.option(name, !vm.options[name]))
    case .mechanismPicker: openMechanismPicker()
    case .cycleVCPU(let step):
      let count = vm.vcpus.count
      vcpu = ((vcpu + step) % count + count) % count
      message = StatusMessage("vCPU \(vcpu) of \(count)")
    case .selectVCPU(let index): selectVCPU(index)
    case .undo: return undo()
    case .redo: return redo()
    case .commandLine:
      prompt.reset()
      mode = .command
    case .help: mode = .help(scroll: 0)
    case .scenarios:
      if scenarios.isEmpty {
        message = StatusMessage("no scenarios available", isError: true)
      } else {
        let playing = playback.flatMap { playing in scenarios.firstIndex { $0.id == playing.scenario.id } }
        mode = .scenarioPicker(selection: playing ?? 0)
      }
    case .nextStep: return stepForward()
    case .previousStep: return stepBack()
    case .autoplay: toggleAutoplay()
    case .compare: openCompare()
    case .discrepancies: mode = .discrepancies(scroll: 0)
    case .timeline: mode = .timeline(selection: history.position)
    case .scrollLog(let lines):
      // The presenter layout has no log: PgUp/PgDn scroll its narration.
      if usesPresenterLayout(width: size.width, height: size.height) {
        scrollNarration(by: -lines)
      } else {
        logScroll = max(0, logScroll + lines)
      }
    case .quit: return requestQuit()
    }
    return []
  }

  /// Selects vCPU `index` if it exists.
  mutating func selectVCPU(_ index: Int) {
    if vm.vcpus.indices.contains(index) {
      vcpu = index
      message = StatusMessage("vCPU \(index) of \(vm.vcpus.count)")
    } else {
      message = StatusMessage("no vCPU \(index): this VM has \(vm.vcpus.count)", isError: true)
    }
  }

  /// A pin key under the mechanism in force: its action, or why it has none.
  private mutating func pinKey(_ key: PinKey) -> [Effect] {
    switch key.action(in: vm, vcpu: vcpu, cursor: cursor) {
    case .success(let action): return act(action)
    case .failure(let refusal):
      message = StatusMessage(refusal.text)
      return []
    }
  }

  /// The log keeps this many of the newest entries: a long session's log stays within a few
  /// hundred kilobytes. The timeline (`T`) and the `--record` file still have every step.
  public static let logLimit = 1_000
  /// Entries beyond `logLimit` are dropped this many at a time, not one per action.
  static let logTrimBatch = 256

  /// How many entries have been logged, counting those no longer kept.
  var loggedCount: Int { droppedLogEntries + log.count }

  /// Adds a log entry and scrolls to it; drops the oldest entries past `logLimit`.
  mutating func appendLog(_ entry: LogEntry) {
    log.append(entry)
    logScroll = 0
    if log.count > Self.logLimit + Self.logTrimBatch {
      let excess = log.count - Self.logLimit
      log.removeFirst(excess)
      droppedLogEntries += excess
    }
  }

  /// Adds a note from the TUI itself to the log.
  mutating func note(_ text: String) {
    appendLog(LogEntry(number: loggedCount + 1, vcpu: nil, actor: .tui, statement: text))
  }
}
