import Engine

/// The pin state of the design in force on the vCPU on screen, as its presentation companion
/// shows it (kvm-2020's six MSRs, Heki's per-VM locks, VTL1's intercept masks and policy, native
/// pinning's captured bits…), then EFER and CR3.
enum MSRPanel {
  /// Columns the panel needs.
  static let width = 44

  static func draw(_ state: AppState, into screen: inout Screen, rect: Rect) {
    let vm = state.vm
    let design = Presentation.of(vm)
    screen.box(
      rect, title: [Run(design.panelTitle(vm), .title), Run(" vCPU \(state.vcpu)", .dim)])
    let inner = rect.inner
    var row = inner.row
    let registers = state.currentVCPU.registers
    var lines = design.panelRows(vm, vcpu: state.vcpu)
    lines += [
      [Run(" EFER ", .dim), Run(Hex.padded(registers.efer))],
      [Run(" CR3  ", .dim), Run(Hex.padded(registers.cr3))],
    ]
    for line in lines where row <= inner.bottom {
      screen.put(runs: line, row: row, column: inner.column, limit: inner.right)
      row += 1
    }
  }
}
