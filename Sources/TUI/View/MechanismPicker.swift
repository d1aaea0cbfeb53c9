import Engine

/// `M`: the pinning designs, each with its one-line summary; the chosen one's summary in full
/// and its source below, and what Enter does.
enum MechanismPicker {
  static func draw(_ state: AppState, selection: Int, into screen: inout Screen) {
    let mechanisms = Mechanism.allCases
    let idWidth = (mechanisms.map(\.rawValue.columns).max() ?? 8) + 2
    let width = min(screen.width - 4, screen.width >= 160 ? 120 : 96)
    let rect = screen.centredBox(
      width: width, height: mechanisms.count + 9, title: [Run("Mechanism", .title)],
      footer: [Run("↑↓ choose  Enter re-boot the guest under it  Esc cancel", .dim)])
    let inner = rect.inner
    let current = state.vm.options.mechanism
    for (index, mechanism) in mechanisms.enumerated() {
      let selected = index == selection
      let mark = mechanism == current ? "● " : "  "
      let text = (selected ? "▸ " : "  ") + mark + mechanism.rawValue.padded(to: idWidth) + mechanism.summary
      screen.put(
        clipped: text.padded(to: inner.width - 2), row: inner.row + index, column: inner.column + 1,
        width: inner.width - 2, role: selected ? .cursor : .normal)
    }
    guard mechanisms.indices.contains(selection) else { return }
    let chosen = mechanisms[selection]
    let area = Rect(
      row: inner.row + mechanisms.count + 1, column: inner.column + 1, width: inner.width - 2, height: 6)
    screen.flow(
      [
        Paragraph(chosen.summary),
        Paragraph("source: " + chosen.source, .dim, hangingIndent: 2),
        Paragraph(
          "Enter: option mechanism \(chosen.rawValue), reboot, boot on every vCPU — the guest starts "
            + "again under this design (● marks the one in force).", .dim),
      ], in: area)
  }
}
