/// The keys of each overlay and prompt-less mode: one table that both their `update` handlers
/// and the key bar read, so the bar shows exactly the keys the mode has.
public enum OverlayKeymap {
  /// What a key does in an overlay.
  public enum Command: Equatable, Sendable {
    /// Scroll or move the highlight by `lines` (negative: up).
    case move(Int)
    /// Scroll or move the highlight to the first line (`first`) or the last.
    case toEnd(first: Bool)
    /// Play the scenario, re-boot under the design, go to the step.
    case confirm
    /// Close the overlay.
    case close
    /// The compare pane: move the cursor bit left (-1) or right (+1).
    case moveBit(Int)
    /// The compare pane: the cursor to the other register.
    case switchRegister
    /// The compare pane: scroll the scenario's matrix by `lines`.
    case scrollMatrix(Int)
    /// The quit question: quit.
    case quit
    /// Predict mode: the room's prediction.
    case predict(Prediction)
    /// Predict mode: scroll the narration by `lines`.
    case scrollNarration(Int)
  }

  /// One key (or keys) of a mode.
  public struct Binding: Sendable {
    /// The keys.
    public let keys: [Key]
    /// The command.
    public let command: Command
    /// The key bar's hint for it and the bindings after it that it stands for (`↑↓ scroll`),
    /// or nil when an earlier hint covers it.
    public let hint: (key: String, text: String)?
  }

  private static func bind(_ keys: [Key], _ command: Command, bar: (String, String)? = nil) -> Binding {
    Binding(keys: keys, command: command, hint: bar.map { (key: $0.0, text: $0.1) })
  }

  private static func scrolling(space: Bool, home: Bool) -> [Binding] {
    [
      bind([.up, .character("k")], .move(-1), bar: ("↑↓", "scroll")),
      bind([.down, .character("j")], .move(1)),
      bind([.pageUp], .move(-10)),
      bind([.pageDown] + (space ? [.character(" ")] : []), .move(10)),
    ] + (home ? [bind([.home], .toEnd(first: true))] : []) + [bind([.escape], .close, bar: ("Esc", "close"))]
  }

  private static func choosing(_ close: Character, confirm: String, cancel: String, pages: Bool) -> [Binding]
  {
    [
      bind([.up, .character("k")], .move(-1), bar: ("↑↓", "choose")),
      bind([.down, .character("j")], .move(1)),
    ] + (pages ? [bind([.pageUp], .move(-10)), bind([.pageDown], .move(10))] : []) + [
      bind([.home], .toEnd(first: true)),
      bind([.end], .toEnd(first: false)),
      bind([.enter, .character(" ")], .confirm, bar: ("Enter", confirm)),
      bind([.escape, .character(close)], .close, bar: ("Esc", cancel)),
    ]
  }

  /// The bindings of `mode` (none for the register view and the command line, which have
  /// `Keymap` and the prompt).
  public static func bindings(_ mode: Mode.Kind) -> [Binding] {
    switch mode {
    case .normal, .command: []
    case .help: scrolling(space: false, home: false)
    case .discrepancies, .languageHelp: scrolling(space: true, home: true)
    case .scenarioPicker: choosing("S", confirm: "play", cancel: "cancel", pages: false)
    case .mechanismPicker:
      choosing("M", confirm: "re-boot the guest under it", cancel: "cancel", pages: false)
    case .timeline: choosing("T", confirm: "go to that step", cancel: "close", pages: true)
    case .quitConfirm:
      [
        bind(
          [.character("y"), .character("Y"), .character("q")], .quit, bar: ("y", "quit, losing the actions")),
        bind([.character("n")], .close, bar: ("n", "stay")),
      ]
    case .predict:
      Prediction.allCases.map { prediction in
        let key = prediction.key
        return bind(
          [.character(key), .character(Character(key.uppercased()))], .predict(prediction),
          bar: (String(key), prediction.barLabel))
      } + [
        bind([.escape], .close, bar: ("Esc", "not yet")),
        bind([.pageUp], .scrollNarration(-5)),
        bind([.pageDown], .scrollNarration(5)),
      ]
    case .compare:
      [
        bind([.left, .character("h")], .moveBit(-1), bar: ("←→", "bit")),
        bind([.right, .character("l")], .moveBit(1)),
        bind([.up, .down, .character("j"), .character("k")], .switchRegister, bar: ("↑↓", "register")),
        bind([.home], .toEnd(first: true)),
        bind([.end], .toEnd(first: false)),
        bind([.pageUp], .scrollMatrix(-5), bar: ("PgUp/PgDn", "matrix")),
        bind([.pageDown], .scrollMatrix(5)),
        bind([.escape, .character("c")], .close, bar: ("Esc", "close")),
      ]
    }
  }

  /// What `key` does in `mode`, if it is one of the mode's keys.
  public static func command(for key: Key, in mode: Mode.Kind) -> Command? {
    bindings(mode).first { $0.keys.contains(key) }?.command
  }
}
