import Engine

/// The six pin MSRs with number, name and value, then EFER and CR3 of the vCPU on screen.
enum MSRPanel {
  /// Columns the panel needs.
  static let width = 44

  static func draw(_ state: AppState, into screen: inout Screen, rect: Rect) {
    let vcpu = state.currentVCPU
    screen.box(rect, title: [Run("MSRs", .title), Run(" vCPU \(state.vcpu)", .dim)])
    let inner = rect.inner
    var row = inner.row
    for info in MSRCatalog.all where info.number != MSRNumber.efer {
      guard row <= inner.bottom else { return }
      let known = state.vm.options.pinning.handles(msr: info.number)
      let value = known ? Hex.padded(read(info.number, vcpu: vcpu), digits: 8) : "unknown"
      let pinned = known && read(info.number, vcpu: vcpu) != 0 && info.shortName.contains("PINNED")
      screen.put(
        runs: [
          Run(" " + Hex.short(UInt64(info.number)) + " ", .dim), Run(info.shortName.padded(to: 16)),
          Run(value, known ? (pinned ? .pinned : .normal) : .dim),
        ], row: row, column: inner.column, limit: inner.right)
      row += 1
    }
    let registers = vcpu.registers
    let lines: [[Run]] = [
      [Run(" EFER ", .dim), Run(Hex.padded(registers.efer))],
      [Run(" CR3  ", .dim), Run(Hex.padded(registers.cr3))],
    ]
    for line in lines where row <= inner.bottom {
      screen.put(runs: line, row: row, column: inner.column, limit: inner.right)
      row += 1
    }
  }

  /// The value a read of pin MSR `number` returns.
  static func read(_ number: UInt32, vcpu: VCPU) -> UInt64 {
    switch number {
    case MSRNumber.cr0PinAllowed: PinningDesign.kvm2020.allowed(.cr0)
    case MSRNumber.cr4PinAllowed: PinningDesign.kvm2020.allowed(.cr4)
    case MSRNumber.cr0PinnedLow: vcpu.pins.cr0Low
    case MSRNumber.cr0PinnedHigh: vcpu.pins.cr0High
    case MSRNumber.cr4PinnedLow: vcpu.pins.cr4Low
    case MSRNumber.cr4PinnedHigh: vcpu.pins.cr4High
    default: 0
    }
  }
}
