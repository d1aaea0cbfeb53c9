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
    let pins = currentVCPU.pins
    switch command {
    case .move(let step): cursor = cursor.moved(by: step)
    case .moveToEnd(let first): cursor = cursor.atEnd(first: first)
    case .switchRegister: cursor = cursor.switchedRegister(columnOf: BitColumns.valueColumn(of:))
    case .toggle:
      return act(.mov(register.controlRegister, registers[register.controlRegister.register] ^ cursor.mask))
    case .kernelToggle:
      return act(.kernelWrite(register, registers[register.controlRegister.register] ^ cursor.mask))
    case .guestPin(let high):
      let current = high ? pins.high(register) : pins.low(register)
      return act(.wrmsr(PinMSR.pinned(register, high: high), current | cursor.mask))
    case .hostPin(let high):
      let current = high ? pins.high(register) : pins.low(register)
      return act(.hostWrmsr(PinMSR.pinned(register, high: high), current | cursor.mask))
    case .hostUnpin: return hostUnpin()
    case .guestReadPins: return act(.rdmsr(PinMSR.pinned(register, high: true)))
    case .smm: return act(currentVCPU.inSMM ? .rsm : .smi)
    case .nested: return act(currentVCPU.inL2 ? .vmexit : .vmentry)
    case .reset: return act(.reset)
    case .reboot: return act(.reboot(keepPins: false))
    case .boot: return act(.boot)
    case .option(let name): return act(.option(name, !vm.options[name]))
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
    case .help: mode = .help
    case .scenarios:
      if scenarios.isEmpty {
        message = StatusMessage("no scenarios available", isError: true)
      } else {
        mode = .scenarioPicker
      }
    case .nextStep: return stepForward()
    case .previousStep: return stepBack()
    case .autoplay: toggleAutoplay()
    case .scrollLog(let lines): logScroll = max(0, logScroll + lines)
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

  private mutating func hostUnpin() -> [Effect] {
    let register = cursor.register
    let pins = currentVCPU.pins
    if pins.high(register) & cursor.mask != 0 {
      return act(.hostWrmsr(PinMSR.pinned(register, high: true), pins.high(register) & ~cursor.mask))
    }
    if pins.low(register) & cursor.mask != 0 {
      return act(.hostWrmsr(PinMSR.pinned(register, high: false), pins.low(register) & ~cursor.mask))
    }
    let name = cursor.bit?.qualifiedName ?? "this bit"
    message = StatusMessage("\(name) is not pinned on vCPU \(vcpu)")
    return []
  }

  /// Adds a log entry and scrolls to it.
  mutating func appendLog(_ entry: LogEntry) {
    log.append(entry)
    logScroll = 0
  }

  /// Adds a note from the TUI itself to the log.
  mutating func note(_ text: String) {
    appendLog(LogEntry(number: log.count + 1, vcpu: nil, actor: "tui", statement: text))
  }
}

/// The pin MSR numbers by register and direction.
enum PinMSR {
  /// The pinned-high or pinned-low MSR of `register`.
  static func pinned(_ register: PinnableRegister, high: Bool) -> UInt32 {
    switch (register, high) {
    case (.cr0, true): MSRNumber.cr0PinnedHigh
    case (.cr0, false): MSRNumber.cr0PinnedLow
    case (.cr4, true): MSRNumber.cr4PinnedHigh
    case (.cr4, false): MSRNumber.cr4PinnedLow
    }
  }
}
