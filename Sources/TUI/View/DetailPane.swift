import Engine
import Script

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
    let badges = ProtectionHistory.badges(for: bit)
    if !badges.isEmpty {
      paragraphs.append(Paragraph([Run("since ", .dim)] + badges.map { Run("[" + $0.badge + "] ", .key) }))
    }
    if let trouble = allowedWritableTrouble(state, bit: bit) { paragraphs.append(trouble) }
    paragraphs += preview(state, withSource: width >= 50)
    if !bit.protects.isEmpty { paragraphs.append(Paragraph(bit.protects, .dim)) }
    for badge in badges {
      paragraphs.append(
        Paragraph(
          [Run("[" + badge.badge + "] ", .key), Run(badge.claim + " — " + badge.source, .dim)],
          hangingIndent: 2))
    }
    return paragraphs
  }

  /// "Toggle now → ok / #GP" and every rule and note of the preview.
  private static func preview(_ state: AppState, withSource: Bool) -> [Paragraph] {
    let outcome = state.togglePreview
    let failed = outcome.kind.isFailure
    var result = [
      Paragraph(
        [
          Run("Toggle now", .normal), Run(" (\(state.session.statement(for: state.toggleAction)))", .dim),
          Run(" → "),
          Run(outcome.kind.display, failed ? .alarm : .success),
        ], hangingIndent: 2)
    ]
    for rule in outcome.rules {
      result.append(
        Paragraph(
          [Run("· "), Run(rule.id.rawValue, .alarm), Run(": " + rule.message, .rule)]
            + (withSource ? [Run(" — " + rule.source, .dim)] : []),
          hangingIndent: 2))
    }
    for note in outcome.notes {
      result.append(Paragraph([Run("· "), Run(note, .warning)], hangingIndent: 2))
    }
    if state.realKVM != nil {
      result.append(
        Paragraph(
          "The model's preview: a real vCPU cannot preview. The log shows what the real KVM did.", .dim))
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
    runs.append(Presentation.of(state.vm).holdText(state.vm, vcpu: state.vcpu, bit: bit))
    return Paragraph(runs)
  }

  /// Under `allowed-writable` (the VMM may widen what can be pinned), why pinning PCIDE, PAE
  /// or TS is trouble, as the review said.
  private static func allowedWritableTrouble(_ state: AppState, bit: BitInfo) -> Paragraph? {
    guard state.vm.options.allowedWritable else { return nil }
    let why: String
    switch bit.qualifiedName {
    case "CR4.PCIDE":
      why =
        "Pinning PCIDE on makes 32-bit mode impossible: leaving long mode needs CR4.PCIDE clear "
        + "first (cr0.pg-off-with-pcide), so kexec, a reboot path or a 32-bit trampoline #GPs (Andy Lutomirski)."
    case "CR4.PAE":
      why =
        "Pinning PAE holds the guest in PAE paging: the real-mode and 32-bit start-up of an INIT'd "
        + "CPU or a kexec'd kernel writes CR4 without it and #GPs."
    case "CR0.TS":
      why =
        "TS is a special case: the kernel sets and clears it lazily (clts, FPU switching) and KVM "
        + "emulates CLTS without the CR0 path, so pinning it would need emulator support (Sean Christopherson)."
    default: return nil
    }
    return Paragraph([Run("allowed-writable: ", .warning), Run(why)], hangingIndent: 2)
  }
}
