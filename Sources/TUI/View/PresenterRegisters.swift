import Engine

/// The presenter layout's registers: CR0 and CR4 in hex (16 digits, as the usual view writes
/// them) with the bits the scenario is about (those it names, those pinned, the one under the
/// cursor), and EFLAGS.AC when the scenario concerns it. Pinned bits are drawn in the pinned
/// style; the title lists the pins, the bottom edge EFER and CR3.
enum PresenterRegisters {
  /// Rows, borders included.
  static let height = 4

  /// The bits shown for `register`, highest first.
  static func bits(_ state: AppState, register: PinnableRegister) -> [BitInfo] {
    let pins = state.vm.effectivePins(on: state.vcpu)
    let mentionedHere = state.playback?.scenario.mentionedBits.filter { $0.register == register } ?? []
    return register.bits.filter { bit in
      mentionedHere.contains(bit) || pins.state(of: bit) != .free
        || (state.cursor.register == register && state.cursor.index == bit.index)
    }.sorted { $0.index > $1.index }
  }

  static func draw(_ state: AppState, into screen: inout Screen, rect: Rect) {
    let vcpu = state.currentVCPU
    let pins = state.vm.effectivePins(on: state.vcpu)
    var pinned: [String] = []
    for register in [PinnableRegister.cr0, .cr4] {
      let names = register.bits.filter { pins.state(of: $0) == .high }.map(\.mnemonic)
      if !names.isEmpty { pinned.append("\(register.displayName) " + names.joined(separator: " ")) }
    }
    let lows = (PinnableRegister.cr0.bits + PinnableRegister.cr4.bits).filter {
      pins.state(of: $0) == .low
    }
    var trailing = [
      Run(pinned.isEmpty ? "no hypervisor pins" : "pinned high: " + pinned.joined(separator: " · "), .pinned)
    ]
    if !lows.isEmpty {
      trailing.append(Run("  low: " + lows.map(\.qualifiedName).joined(separator: " "), .pinned))
    }
    let registers = vcpu.registers
    screen.box(
      rect, title: [Run("Registers", .title)], trailing: trailing,
      footer: [
        Run("EFER ", .dim), Run(Hex.short(registers.efer)), Run("  CR3 ", .dim),
        Run(Hex.short(registers.cr3)),
      ])
    let inner = rect.inner
    for (offset, register) in [PinnableRegister.cr0, .cr4].enumerated() where offset < inner.height {
      let value = register == .cr0 ? registers.cr0 : registers.cr4
      var runs = [Run(register.displayName + " ", .title), Run(Hex.padded(value) + " ")]
      for bit in bits(state, register: register) {
        let set = value & bit.mask != 0
        let text = "\(bit.mnemonic) \(set ? 1 : 0)"
        let underCursor = state.cursor.register == register && state.cursor.index == bit.index
        let role: Role =
          underCursor ? .cursor : pins.state(of: bit) != .free ? .pinned : set ? .bitSet : .bitClear
        runs += [Run(" "), Run(text, role), Run(" ")]
      }
      // EFLAGS.AC at the right of the CR0 row (CR4's row is the full one).
      let showsFlag = register == .cr0 && state.playback?.scenario.mentionsEFLAGSAC == true
      let row = inner.row + offset
      screen.put(runs: runs, row: row, column: inner.column + 1, limit: inner.right - (showsFlag ? 14 : 1))
      if showsFlag {
        let flag = [
          Run("EFLAGS.AC ", .title), Run(vcpu.eflagsAC ? "1" : "0", vcpu.eflagsAC ? .bitSet : .bitClear),
        ]
        screen.put(runs: flag, row: row, column: inner.right - 12, limit: inner.right - 1)
      }
    }
  }
}
