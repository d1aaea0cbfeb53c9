import Engine

/// The register panel as the projector theme draws it for the back of a room: every named bit
/// with its name spelled out, its value, its pin symbol and its change marker, in a few wide
/// columns instead of the SDM-style row of 25.
struct ProjectorRegisters {
  /// Columns one bit takes.
  static let cellWidth = 16

  let state: AppState

  func draw(into screen: inout Screen, hitMap: inout HitMap, rect: Rect) {
    let vcpu = state.currentVCPU
    let perRow = max(1, (rect.width - 2) / Self.cellWidth)
    screen.box(rect, title: title(.cr0, vcpu: vcpu))
    var row = rect.row + 1
    row = drawBits(.cr0, into: &screen, hitMap: &hitMap, row: row, rect: rect, perRow: perRow)
    if row < rect.bottom {
      screen.divider(rect, row: row, title: title(.cr4, vcpu: vcpu))
      row += 1
    }
    _ = drawBits(.cr4, into: &screen, hitMap: &hitMap, row: row, rect: rect, perRow: perRow)
  }

  private func title(_ register: PinnableRegister, vcpu: VCPU) -> [Run] {
    [
      Run(register.displayName, .title),
      Run(" " + Hex.short(vcpu.registers[register.controlRegister.register]), .title),
    ]
  }

  /// Draws the named bits of `register`, high first; returns the row after them.
  private func drawBits(
    _ register: PinnableRegister, into screen: inout Screen, hitMap: inout HitMap, row: Int, rect: Rect,
    perRow: Int
  ) -> Int {
    let vm = state.vm
    let value = state.currentVCPU.registers[register.controlRegister.register]
    let watches = Presentation.of(vm).watchesBits
    let wouldFail = state.togglePreview.kind.isFailure
    let bits = BitCursor.screenOrder(register)
    for (offset, index) in bits.enumerated() {
      let r = row + offset / perRow
      guard r < rect.bottom else { break }
      let x = rect.column + 1 + (offset % perRow) * Self.cellWidth
      guard let info = BitCatalog.bit(register, index: index) else { continue }
      let mask = info.mask
      let isCursor = state.cursor == BitCursor(register, index)
      let reserved =
        register == .cr4 && vm.options.refusedCR4 & mask != 0
      let set = value & mask != 0
      let digit = set ? "1" : (reserved ? "·" : "0")
      let symbol =
        Presentation.symbol(vm, vcpu: state.vcpu, register: register, mask: mask)
        ?? (watches ? Run(" ") : Run(" ", .dim))
      let mark = state.changeMarks?.mark(register, mask: mask, vcpu: state.vcpu, value: value)
      var runs: [Run] = [
        Run(
          isCursor ? (wouldFail ? "!" : "▸") : " ", isCursor ? (wouldFail ? .cursorAlarm : .cursor) : .normal),
        Run(info.mnemonic.padded(to: 10), reserved ? .dim : .normal),
        Run(" "), Run(digit, set ? .bitSet : (reserved ? .dim : .bitClear)), symbol,
        Run(mark?.symbol ?? " ", .changed),
      ]
      if isCursor { runs = runs.map { Run($0.text, wouldFail ? .cursorAlarm : .cursor) } }
      screen.put(runs: runs, row: r, column: x, limit: min(rect.right - 1, x + Self.cellWidth - 2))
      for c in x..<(x + Self.cellWidth - 1) {
        hitMap.mark(row: r, column: c, bit: BitCursor(register, index))
      }
    }
    return row + (bits.count + perRow - 1) / perRow
  }
}
