import Engine

/// The top line: which vCPU, L1 or L2, SMM, stopped, the options, the scenario and step.
enum ModeLine {
  static func draw(_ state: AppState, into screen: inout Screen, width: Int) {
    let vcpu = state.currentVCPU
    let chosen = choose(state, vcpu: vcpu, width: width)
    screen.fill(row: 0, column: 0, width: width, height: 1, with: Cell(" ", .statusBar))
    screen.put(runs: chosen, row: 0, column: 0, limit: width - 1)
    let help = " ? help "
    if state.showsKeys, length(chosen) + help.columns <= width {
      screen.put(help, row: 0, column: width - help.columns, role: .statusBar)
    }
  }

  /// The long form when it fits, else the compact one. The versions (`kernel 5.8 · kvm 5.8`)
  /// come after the options. At the defaults they are shown only where they fit, and never at
  /// the cost of the long form; chosen versions are shown in preference to the long form, and
  /// when even the compact line is too long, only the versions that differ stay, at its end.
  private static func choose(_ state: AppState, vcpu: VCPU, width: Int) -> [Run] {
    let atDefaults = state.vm.options.versionsAreDefault
    let help = state.showsKeys ? " ? help ".columns : 0
    let full = segments(state, vcpu: vcpu, compact: false, versions: .full)
    if length(full) + 9 <= width { return full }
    if atDefaults {
      let bare = segments(state, vcpu: vcpu, compact: false, versions: .none)
      if length(bare) + 9 <= width { return bare }
    }
    let compact = segments(state, vcpu: vcpu, compact: true, versions: .full)
    if length(compact) + help <= width { return compact }
    return segments(state, vcpu: vcpu, compact: true, versions: atDefaults ? .none : .changed)
  }

  /// How much of the versions a line shows.
  private enum Versions { case full, changed, none }

  private static func versionText(_ options: VMOptions, _ versions: Versions) -> String? {
    switch versions {
    case .full: return options.versionsLabel
    case .none: return nil
    case .changed:
      var parts: [String] = []
      if options.kernel != .seedBase { parts.append("kernel \(options.kernel)") }
      if options.kvm != .seedBase {
        parts.append("kvm \(options.kvm)" + (options.patchRunsRebased ? " rebased" : ""))
      }
      return parts.joined(separator: " · ")
    }
  }

  private static func length(_ runs: [Run]) -> Int { runs.reduce(0) { $0 + $1.text.columns } }

  private static func segments(_ state: AppState, vcpu: VCPU, compact: Bool, versions: Versions) -> [Run] {
    let bar = Role.statusBar
    var runs: [Run] = [Run(compact ? " " : " crpin  ", bar)]
    runs.append(Run("vCPU \(state.vcpu)/\(state.vm.vcpus.count)", bar))
    runs.append(Run(vcpu.inL2 ? "  L2" : "  L1", bar))
    if vcpu.inSMM { runs.append(Run("  SMM", bar)) }
    if state.vm.stopped { runs += [Run("  ", bar), Run("STOPPED", .alarm)] }
    runs.append(Run("  ", bar))
    // The mechanism first, then the three switches of the seed patch; the review policies
    // only when on.
    let main: [VMOptionName] = [.kvmPin, .cpuidPin, .nativePin]
    let shown = main + VMOptionName.allCases.filter { !main.contains($0) && state.vm.options[$0] }
    var options = shown.map { name in
      let short = compact ? String(name.rawValue.prefix { $0 != "-" }) : name.rawValue
      return "\(short):\(state.vm.options[name] ? "on" : "off")"
    }
    options.insert("\(compact ? "" : "mech:")\(state.vm.options.mechanism.rawValue)", at: 0)
    runs.append(Run(options.joined(separator: compact ? " " : "  "), bar))
    let version = versionText(state.vm.options, versions).map { Run("  " + $0, bar) }
    // The changed versions of a crowded line go last: the scenario's step and the history
    // position come first.
    if let version, versions != .changed { runs.append(version) }
    if let real = state.realKVM {
      runs.append(
        Run(compact ? "  KVM \(real.module)" : "  real KVM \(real.module) vs \(real.modelLabel)", bar))
    }
    if let playing = state.playback {
      let id = compact ? playing.scenario.id.clipped(to: 14) : playing.scenario.id
      let auto = playing.autoplay ? " auto" : ""
      runs.append(
        Run("  ▶ \(id) \(compact ? "" : "step ")\(playing.stepNumber)/\(playing.stepCount)\(auto)", bar))
    }
    let (step, total) = state.historyStep
    if step < total { runs.append(Run("  ◄ \(compact ? "" : "history ")\(step)/\(total)", bar)) }
    if let quiz = state.quiz { runs.append(Run("  quiz \(quiz.correct)/\(quiz.answered)", bar)) }
    if state.isRecording { runs.append(Run(compact ? "  REC" : "  ● REC", bar)) }
    if let version, versions == .changed { runs.append(version) }
    return runs
  }
}
