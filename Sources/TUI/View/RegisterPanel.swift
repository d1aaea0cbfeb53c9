import Engine

/// The CR0 and CR4 bit grids in one box: bit numbers, labels, values, pin symbols; the
/// register values and pin masks in the edges.
struct RegisterPanel {
  /// Rows the panel takes.
  static let height = 12

  let state: AppState

  private var vcpu: VCPU { state.currentVCPU }

  func draw(into screen: inout Screen, hitMap: inout HitMap, rect: Rect, footer: [Run]) {
    screen.box(rect, title: title(.cr0), trailing: masks(.cr0, width: rect.width), footer: footer)
    let origin = rect.column + 1
    let wide = rect.width >= BitColumns.wideFrom
    drawRows(.cr0, into: &screen, hitMap: &hitMap, row: rect.row + 1, origin: origin, wide: wide)
    screen.divider(rect, row: rect.row + 5, title: title(.cr4), trailing: masks(.cr4, width: rect.width))
    drawRows(.cr4, into: &screen, hitMap: &hitMap, row: rect.row + 6, origin: origin, wide: wide)
    let legendColumn = origin + (BitColumns.layout(.cr0, wide: wide).last.map { $0.start + 4 } ?? 52) + 3
    Legend.draw(
      into: &screen, row: rect.row + 1, column: legendColumn, limit: rect.right - 1,
      interceptsOnly: Presentation.of(state.vm).watchesBits)
  }

  private func title(_ register: PinnableRegister) -> [Run] {
    let value = vcpu.registers[register.controlRegister.register]
    return [Run(register.displayName, .title), Run(" " + Hex.padded(value))]
  }

  /// The masks in the edge: what may be pinned and what is, as the design in force's companion
  /// shows them (`effectivePins`, or VTL1's intercept mask and policy).
  private func masks(_ register: PinnableRegister, width: Int) -> [Run] {
    let vm = state.vm
    func format(_ value: UInt64) -> String {
      width >= 96 ? Hex.padded(value, digits: 8) : Hex.short(value)
    }
    return Presentation.of(vm).masks(vm, vcpu: state.vcpu, register: register, format: format)
  }

  /// The rows of one register: numbers, label row(s), values, pins. CR4's short labels
  /// alternate between two rows; `wide` has its full names on one.
  private func drawRows(
    _ register: PinnableRegister, into screen: inout Screen, hitMap: inout HitMap, row: Int,
    origin: Int, wide: Bool
  ) {
    let labelRows = register == .cr4 && !wide ? 2 : 1
    let valueRow = row + 1 + labelRows
    let pinRow = valueRow + 1
    let value = vcpu.registers[register.controlRegister.register]
    for (item, start) in BitColumns.layout(register, wide: wide) {
      let x = origin + start
      switch item {
      case .gap(let high, let low):
        screen.put("\(high)-\(low)", row: row, column: x + 1, role: .dim)
        screen.put("rsvd", row: row + 1, column: x + 2, role: .dim)
      case .bit(let index):
        let mask = UInt64(1) << UInt64(index)
        let info = BitCatalog.bit(register, index: index)
        let isCursor = state.cursor == BitCursor(register, index)
        let cursorRole: Role = isCursor && toggleWouldFail ? .cursorAlarm : .cursor
        let number = String(index)
        screen.put(number, row: row, column: x + 3 - number.columns, role: isCursor ? .title : .dim)
        let labelRow = labelRows == 2 && index % 2 == 1 ? row + 2 : row + 1
        if let info {
          let text = wide ? info.mnemonic : BitColumns.label(info)
          let reservedForKVM = isReserved(register, info: info)
          let role: Role = isCursor ? cursorRole : (reservedForKVM ? .dim : .normal)
          screen.put(text, row: labelRow, column: BitColumns.labelStart(text, valueColumn: x + 2), role: role)
        } else {
          screen.put("·", row: labelRow, column: x + 2, role: .dim)
        }
        let set = value & mask != 0
        let reserved = info.map { isReserved(register, info: $0) } ?? true
        let digit = set ? "1" : (reserved ? "·" : "0")
        if isCursor {
          let bracket = toggleWouldFail ? ("!", "!") : ("[", "]")
          screen.put(bracket.0 + digit + bracket.1, row: valueRow, column: x + 1, role: cursorRole)
        } else {
          screen.put(digit, row: valueRow, column: x + 2, role: set ? .bitSet : (reserved ? .dim : .bitClear))
        }
        if let mark = state.changeMarks?.mark(register, mask: mask, vcpu: state.vcpu, value: value) {
          // Right after the value, or after the cursor's closing bracket (in the next bit's
          // spare column: only the cursor bit has a bracket there).
          screen.put(mark.symbol, row: valueRow, column: x + (isCursor ? 4 : 3), role: .changed)
        }
        if let info, let symbol = pinSymbol(info) {
          screen.put(symbol.text, row: pinRow, column: x + 2, role: symbol.role)
        }
        if info != nil {
          // The wide layout's long names are clickable along their whole width.
          let name = wide ? info?.mnemonic.columns ?? 0 : 0
          let first = min(x + 1, x + 2 - name / 2)
          let last = max(x + 3, x + 1 - name / 2 + name)
          for r in row...pinRow {
            for c in first...last { hitMap.mark(row: r, column: c, bit: BitCursor(register, index)) }
          }
        }
      }
    }
  }

  /// Whether the chosen KVM treats the bit as reserved for this guest (unknown to that KVM, or
  /// its CPUID feature is missing).
  private func isReserved(_ register: PinnableRegister, info: BitInfo) -> Bool {
    guard register == .cr4 else { return false }
    return state.vm.options.refusedCR4 & info.mask != 0
  }

  /// The symbol under a bit: pinned high or low under the design in force, intercepted by
  /// VTL1, or free to pin.
  private func pinSymbol(_ info: BitInfo) -> Run? {
    Presentation.symbol(state.vm, vcpu: state.vcpu, register: info.register, mask: info.mask)
  }

  /// Whether toggling the cursor bit with a guest MOV would fail now.
  private var toggleWouldFail: Bool { state.togglePreview.kind.isFailure }
}

extension AppState {
  /// The guest MOV that toggles the cursor bit.
  public var toggleAction: Action {
    let register = cursor.register.controlRegister
    return .mov(register, currentVCPU.registers[register.register] ^ cursor.mask)
  }

  /// What toggling the cursor bit would do now.
  public var togglePreview: Outcome { vm.preview(toggleAction, on: vcpu) }
}
