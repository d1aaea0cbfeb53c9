import Engine

/// Applies `event` to `state` and returns what the main loop must do outside (quit, write the
/// record). Pure: no I/O, no clock.
public func update(_ state: inout AppState, _ event: InputEvent) -> [Effect] {
  state.handle(event) + state.takeRealKVMEffects()
}

/// Advances time by `milliseconds` (autoplay, the fading of a step's emphasis); the main loop
/// calls it between events.
public func update(_ state: inout AppState, tick milliseconds: Int) -> [Effect] {
  state.tick(milliseconds: milliseconds) + state.takeRealKVMEffects()
}

extension AppState {
  /// The smallest terminal the full view needs.
  public static let minimumSize = TerminalSize(width: 80, height: 24)

  /// Whether the terminal is too small for the view (only the "enlarge" message shows).
  public var isTooSmall: Bool {
    size.width < Self.minimumSize.width || size.height < Self.minimumSize.height
  }

  /// Applies one input event.
  public mutating func handle(_ event: InputEvent) -> [Effect] {
    switch event {
    case .resize(let width, let height):
      size = TerminalSize(width: width, height: height)
      return []
    case .scroll(let row, let column, let delta):
      guard [.normal, .command, .predict].contains(mode.kind) else { return [] }
      if isOverNarration(row: row, column: column) {
        scrollNarration(by: 3 * delta)
      } else if mode.kind != .predict {
        logScroll = max(0, logScroll - 3 * delta)
      }
      return []
    case .click(let row, let column):
      return click(row: row, column: column)
    case .key(let key):
      message = nil
      if key == .control("c") { return interruptKey() }
      if isTooSmall { return tooSmallKey(key) }
      if mode.kind != .normal, mode.kind != .command, let effects = sharedKey(key) { return effects }
      switch mode {
      case .normal: return normalKey(key)
      case .command: return commandKey(key)
      case .help(let scroll): return scrollKey(key, scroll: scroll) { .help(scroll: $0) }
      case .scenarioPicker(let selection): return pickerKey(key, selection: selection)
      case .quitConfirm(let byInterrupt): return quitConfirmKey(key, byInterrupt: byInterrupt)
      case .predict: return predictKey(key)
      case .compare(let pane): return compareKey(key, pane: pane)
      case .discrepancies(let scroll):
        return scrollKey(key, scroll: scroll) { .discrepancies(scroll: $0) }
      case .timeline(let selection): return timelineKey(key, selection: selection)
      case .mechanismPicker(let selection): return mechanismPickerKey(key, selection: selection)
      case .languageHelp(let scroll): return scrollKey(key, scroll: scroll) { .languageHelp(scroll: $0) }
      }
    }
  }

  /// Ctrl-C (the terminal's SIGINT, which the main loop delivers as this key): cancels the
  /// command line; anywhere else it quits with status 130, first asking like `q` when actions
  /// would be lost; a second Ctrl-C while asking quits.
  mutating func interruptKey() -> [Effect] {
    switch mode {
    case .command:
      prompt.reset()
      mode = .normal
      message = StatusMessage("line cancelled")
      return []
    case .quitConfirm:
      return [.interrupt]
    default:
      guard hasUnsavedWork else { return [.interrupt] }
      mode = .quitConfirm(byInterrupt: true)
      return []
    }
  }

  /// `?` and `q` in every overlay, as the key bar promises: `?` opens the help (closes it in
  /// the help), `q` quits (asking when actions would be lost).
  private mutating func sharedKey(_ key: Key) -> [Effect]? {
    switch (mode, key) {
    case (.help, .character("?")):
      mode = .normal
      return []
    case (_, .character("?")):
      mode = .help(scroll: 0)
      return []
    case (.quitConfirm, _):
      return nil
    case (_, .character("q")):
      mode = .normal
      return requestQuit()
    default:
      return nil
    }
  }

  /// Lets autoplay advance, a step's emphasis fade and the compare pane compute its next slice.
  public mutating func tick(milliseconds: Int) -> [Effect] {
    advanceEmphasis(by: milliseconds)
    advanceCompare()
    guard var playing = playback, playing.autoplay, mode.kind == .normal, !isTooSmall else { return [] }
    playing.elapsed += milliseconds
    guard playing.elapsed >= Playback.autoplayInterval else {
      playback = playing
      return []
    }
    playing.elapsed = 0
    playback = playing
    return stepForward()
  }

  private mutating func tooSmallKey(_ key: Key) -> [Effect] {
    switch (mode, key) {
    case (.quitConfirm(let byInterrupt), _): return quitConfirmKey(key, byInterrupt: byInterrupt)
    case (_, .character("q")): return requestQuit()
    case (_, .escape): mode = .normal
    default: break
    }
    return []
  }

  private mutating func click(row: Int, column: Int) -> [Effect] {
    guard mode.kind == .normal, !isTooSmall, let target = drawnBits.bit(row: row, column: column) else {
      return []
    }
    if target == cursor { return perform(.toggle) }
    cursor = target
    return []
  }

  mutating func requestQuit() -> [Effect] {
    if hasUnsavedWork {
      mode = .quitConfirm(byInterrupt: false)
      return []
    }
    return [.quit]
  }

  private mutating func quitConfirmKey(_ key: Key, byInterrupt: Bool) -> [Effect] {
    if OverlayKeymap.command(for: key, in: .quitConfirm) == .quit {
      return [byInterrupt ? .interrupt : .quit]
    }
    mode = .normal
    return []
  }
}
