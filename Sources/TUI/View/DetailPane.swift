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
    // At the defaults (5.8/5.8: the patch's base, what the badges describe) the pane reads as
    // it always did; chosen versions add their facts up front, sourced at the end.
    let versions = state.vm.options.versionsAreDefault ? [] : versionFacts(state, bit: bit)
    if !versions.isEmpty {
      paragraphs.append(Paragraph(versions.map { Run("[" + $0.badge + "] ", .key) }))
    }
    if let trouble = allowedWritableTrouble(state, bit: bit) { paragraphs.append(trouble) }
    paragraphs += preview(state, withSource: width >= 50)
    if !bit.protects.isEmpty { paragraphs.append(Paragraph(bit.protects, .dim)) }
    for badge in badges + versions {
      paragraphs.append(
        Paragraph(
          [Run("[" + badge.badge + "] ", .key), Run(badge.claim + " — " + badge.source, .dim)],
          hangingIndent: 2))
    }
    return paragraphs
  }

  /// The chosen kernel's and KVM's facts on the bit (known, native pin, guest-owned), sourced.
  static func versionFacts(_ state: AppState, bit: BitInfo) -> [VersionBadge] {
    let vm = state.vm
    let options = vm.options
    let facts = BitVersionFacts(bit.register, mask: bit.mask, options: options)
    return facts.lines(bootPins: vm.nativePinningActive ? vm.nativePinnedCR4 : nil)
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
    } else if !BitVersionFacts(bit.register, mask: bit.mask, options: state.vm.options).knownToKVM {
      runs += [Run("unknown to KVM \(state.vm.options.kvm)", .dim), Run("  ")]
    }
    let vm = state.vm
    runs.append(Presentation.of(vm).holdText(vm, vcpu: state.vcpu, bit: bit))
    // A pin on a bit the chosen KVM lets the guest own is never checked (shown off the
    // defaults, where the version facts are).
    if !vm.options.versionsAreDefault, vm.effectivePins(on: state.vcpu).state(of: bit) != .free,
      BitVersionFacts(bit.register, mask: bit.mask, options: vm.options).guestOwned
    {
      runs.append(Run("  not enforced: guest-owned on KVM \(vm.options.kvm)", .warning))
    }
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
