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
      guard mode == .normal || mode == .command || mode == .predict else { return [] }
      if isOverNarration(row: row, column: column) {
        scrollNarration(by: 3 * delta)
      } else if mode != .predict {
        logScroll = max(0, logScroll - 3 * delta)
      }
      return []
    case .click(let row, let column):
      return click(row: row, column: column)
    case .key(let key):
      message = nil
      if key == .control("c") { return interruptKey() }
      if isTooSmall { return tooSmallKey(key) }
      if mode != .normal, mode != .command, let effects = sharedKey(key) { return effects }
      switch mode {
      case .normal: return normalKey(key)
      case .command: return commandKey(key)
      case .help: return helpKey(key)
      case .scenarioPicker: return pickerKey(key)
      case .quitConfirm: return quitConfirmKey(key)
      case .predict: return predictKey(key)
      case .compare: return compareKey(key)
      case .discrepancies: return discrepanciesKey(key)
      case .timeline: return timelineKey(key)
      case .mechanismPicker: return mechanismPickerKey(key)
      case .languageHelp: return discrepanciesKey(key)
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
      closeOverlay()
      mode = .quitConfirm
      quitAskedByInterrupt = true
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
      closeOverlay()
      overlayScroll = 0
      mode = .help
      return []
    case (.quitConfirm, _):
      return nil
    case (_, .character("q")):
      closeOverlay()
      return requestQuit()
    default:
      return nil
    }
  }

  /// Leaves an overlay for the register view, dropping what only the overlay needed.
  private mutating func closeOverlay() {
    if mode == .compare { comparison = nil }
    mode = .normal
  }

  /// Lets autoplay advance and a step's emphasis fade.
  public mutating func tick(milliseconds: Int) -> [Effect] {
    advanceEmphasis(by: milliseconds)
    guard var playing = playback, playing.autoplay, mode == .normal, !isTooSmall else { return [] }
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
    case (.quitConfirm, _): return quitConfirmKey(key)
    case (_, .character("q")): return requestQuit()
    case (_, .escape): mode = .normal
    default: break
    }
    return []
  }

  private mutating func click(row: Int, column: Int) -> [Effect] {
    guard mode == .normal, !isTooSmall else { return [] }
    let frame = render(self, width: size.width, height: size.height)
    guard let target = frame.hitMap.bit(row: row, column: column) else { return [] }
    if target == cursor { return perform(.toggle) }
    cursor = target
    return []
  }

  mutating func requestQuit() -> [Effect] {
    if hasUnsavedWork {
      mode = .quitConfirm
      quitAskedByInterrupt = false
      return []
    }
    return [.quit]
  }

  private mutating func helpKey(_ key: Key) -> [Effect] {
    switch key {
    case .down, .character("j"): overlayScroll += 1
    case .up, .character("k"): overlayScroll = max(0, overlayScroll - 1)
    case .pageDown: overlayScroll += 10
    case .pageUp: overlayScroll = max(0, overlayScroll - 10)
    default: mode = .normal
    }
    return []
  }

  private mutating func quitConfirmKey(_ key: Key) -> [Effect] {
    switch key {
    case .character("y"), .character("Y"), .character("q"): return [quitAskedByInterrupt ? .interrupt : .quit]
    default:
      mode = .normal
      return []
    }
  }
}
