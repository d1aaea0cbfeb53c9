import Engine

/// The bit under the cursor: what it is, what it protects, what it needs, how it is pinned,
/// and what toggling it now would do, with every rule.
enum DetailPane {
  static func draw(_ state: AppState, into screen: inout Screen, rect: Rect) {
    let cursor = state.cursor
    guard let bit = cursor.bit else {
      screen.box(rect)
      return
    }
    let value = state.currentVCPU.registers[cursor.register.controlRegister.register] & bit.mask != 0
    screen.box(
      rect, title: [Run(bit.qualifiedName, .title), Run("  bit \(bit.index)  \(Hex.short(bit.mask))", .dim)],
      trailing: [Run("= \(value ? 1 : 0)", value ? .bitSet : .bitClear)])
    let inner = rect.inner
    let area = Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height)
    screen.flow(paragraphs(state, bit: bit, width: area.width), in: area)
  }

  static func paragraphs(_ state: AppState, bit: BitInfo, width: Int) -> [Paragraph] {
    var paragraphs: [Paragraph] = [
      Paragraph(bit.name, .title),
      Paragraph(bit.meaning),
    ]
    paragraphs.append(status(state, bit: bit))
    paragraphs += preview(state, withSource: width >= 50)
    if !bit.protects.isEmpty { paragraphs.append(Paragraph(bit.protects, .dim)) }
    return paragraphs
  }

  /// "Toggle now → ok / #GP" and every rule and note of the preview.
  private static func preview(_ state: AppState, withSource: Bool) -> [Paragraph] {
    let outcome = state.togglePreview
    let failed = outcome.kind.isFailure
    var result = [
      Paragraph(
        [
          Run("Toggle now", .normal), Run(" (\(state.toggleAction.statement))", .dim), Run(" → "),
          Run(outcome.kind.display, failed ? .alarm : .success),
        ], hangingIndent: 2)
    ]
    for rule in outcome.rules {
      result.append(
        Paragraph(
          [Run("· "), Run(rule.id.rawValue, .alarm), Run(": " + rule.message)]
            + (withSource ? [Run(" — " + rule.source, .dim)] : []),
          hangingIndent: 2))
    }
    for note in outcome.notes {
      result.append(Paragraph([Run("· "), Run(note, .warning)], hangingIndent: 2))
    }
    return result
  }

  /// CPUID need, pinnable, pin state: in words and symbols.
  private static func status(_ state: AppState, bit: BitInfo) -> Paragraph {
    var runs: [Run] = []
    if let feature = bit.feature {
      let has = state.vm.options.cpu.has(feature)
      runs += [
        Run("CPUID "), Run(feature.displayName + (has ? " yes" : " missing"), has ? .normal : .alarm),
        Run("  "),
      ]
    } else if !bit.knownToKVM {
      runs += [Run("unknown to KVM 5.8", .dim), Run("  ")]
    }
    if bit.pinnable {
      switch state.currentVCPU.pins.state(of: bit) {
      case .high: runs.append(Run("pinned HIGH ▲", .pinned))
      case .low: runs.append(Run("pinned LOW ▼", .pinned))
      case .free: runs.append(Run("pinnable, free ◦"))
      }
    } else {
      runs.append(Run("not pinnable", .dim))
    }
    return Paragraph(runs)
  }
}
