/// The keys of the register view: one table that both `update` and the help overlay read, so
/// the help always lists exactly what the keys do.
public enum Keymap {
  /// One row of the table.
  public struct Binding: Sendable {
    /// The keys that trigger it.
    public let keys: [Key]
    /// The keys as the help overlay prints them (`h ←`).
    public let label: String
    /// What it does, in a few words.
    public let summary: String
    /// The command.
    public let command: KeyCommand
    /// What the key bar says beside the key (`pin`), or `nil` when the key is never on it.
    public let brief: String?
    /// How useful the key is on the bar, higher first, before `barRank(_:in:)` adjusts it for
    /// the state.
    let rank: Int

    /// The key as the bar shows it: the first of the label's keys (`Spc`).
    public var barKey: String { String(label.split(separator: " ").first ?? Substring(label)) }
  }

  /// A titled group of bindings, as the help overlay shows them.
  public struct Group: Sendable {
    /// The group's heading.
    public let title: String
    /// Its bindings.
    public let bindings: [Binding]
  }

  private static func bind(
    _ keys: [Key], _ label: String, _ summary: String, _ command: KeyCommand, bar: String? = nil,
    rank: Int = 0
  ) -> Binding {
    Binding(keys: keys, label: label, summary: summary, command: command, brief: bar, rank: rank)
  }

  private static func chars(_ text: String) -> [Key] { text.map { .character($0) } }

  /// Every binding, grouped.
  public static let groups: [Group] = [
    Group(
      title: "Move",
      bindings: [
        bind([.left, .character("h")], "← h", "bit to the left", .move(-1)),
        bind([.right, .character("l")], "→ l", "bit to the right", .move(1)),
        bind([.up, .down] + chars("jk"), "↑↓ j k", "other register", .switchRegister),
        bind([.home], "Home", "highest bit", .moveToEnd(first: true)),
        bind([.end], "End", "lowest bit", .moveToEnd(first: false)),
        bind([.tab], "Tab", "next vCPU", .cycleVCPU(1)),
        bind([.backTab], "S-Tab", "previous vCPU", .cycleVCPU(-1)),
        bind(chars("01234567"), "0-7", "select vCPU n", .selectVCPU(0)),
      ]),
    Group(
      title: "Guest",
      bindings: [
        bind(
          [.character(" "), .enter], "Spc Enter", "toggle bit (MOV to CR)", .toggle, bar: "toggle", rank: 90),
        bind(chars("t"), "t", "toggle via kernel write", .kernelToggle, bar: "kernel write", rank: 25),
        bind(chars("H"), "H", "pin bit high (WRMSR)", .guestPin(high: true), bar: "pin", rank: 80),
        bind(chars("L"), "L", "pin bit low (WRMSR)", .guestPin(high: false), bar: "pin", rank: 80),
        bind(chars("m"), "m", "read pinned-high MSR", .guestReadPins),
        bind(chars("s"), "s", "SMI / RSM", .smm, bar: "SMI", rank: 60),
        bind(chars("v"), "v", "VM-entry to L2 / exit", .nested, bar: "L2", rank: 55),
      ]),
    Group(
      title: "Host (VMM)",
      bindings: [
        bind(chars("+"), "+", "pin bit high (SET_MSRS)", .hostPin(high: true), bar: "host", rank: 75),
        bind(chars("-"), "-", "pin bit low (SET_MSRS)", .hostPin(high: false), bar: "host", rank: 75),
        bind(chars("="), "=", "unpin bit", .hostUnpin, bar: "host", rank: 75),
        bind(chars("r"), "r", "reset this vCPU", .reset),
        bind(chars("R"), "R", "reboot the VM", .reboot, bar: "reboot"),
        bind(chars("b"), "b", "boot this vCPU", .boot),
        bind(chars("K"), "K", "option kvm-pin on/off", .option(.kvmPin)),
        bind(chars("C"), "C", "option cpuid-pin on/off", .option(.cpuidPin)),
        bind(chars("N"), "N", "option native-pin on/off", .option(.nativePin)),
        bind(chars("W"), "W", "option allowed-writable", .option(.allowedWritable)),
        bind(chars("M"), "M", "pick a mechanism, re-boot", .mechanismPicker, bar: "mechanism", rank: 45),
      ]),
    Group(
      title: "Session",
      bindings: [
        bind(chars("u"), "u", "step back (undo)", .undo, bar: "undo", rank: 50),
        bind([.control("r")], "C-r", "step forward (redo)", .redo, bar: "redo"),
        bind(chars("T"), "T", "timeline: jump to a step", .timeline, bar: "timeline", rank: 30),
        bind(chars("c"), "c", "compare mechanisms", .compare, bar: "compare", rank: 40),
        bind(chars("D"), "D", "discrepancies D1-D6 R1-R2", .discrepancies, bar: "discrepancies", rank: 10),
        bind(chars(":"), ":", "command line (script)", .commandLine, bar: "command", rank: 65),
        bind(chars("S"), "S", "pick a scenario", .scenarios, bar: "scenarios", rank: 35),
        bind(chars("n"), "n", "next scenario step", .nextStep, bar: "next"),
        bind(chars("p"), "p", "previous scenario step", .previousStep, bar: "back"),
        bind(chars("a"), "a", "autoplay on/off", .autoplay, bar: "auto"),
        bind([.pageUp], "PgUp", "scroll log/narration up", .scrollLog(5)),
        bind([.pageDown], "PgDn", "scroll log/narration down", .scrollLog(-5)),
        bind(chars("?"), "?", "this help", .help, bar: "help"),
        bind(chars("q"), "q", "quit", .quit, bar: "quit"),
      ]),
  ]

  /// The bindings every key bar ends with, at every width: `? help` and `q quit`.
  public static var alwaysOnBar: [Binding] {
    groups.flatMap(\.bindings).filter { $0.command == .help || $0.command == .quit }
  }

  /// Where `binding` ranks on the register view's key bar in `state`, higher first, or `nil`
  /// to leave it off: a scenario's keys first while one plays, `s RSM` in SMM, `v VM-exit` in
  /// L2, `R reboot` on a stopped VM, `C-r redo` after an undo.
  static func barRank(_ binding: Binding, in state: AppState) -> Int? {
    guard binding.brief != nil else { return nil }
    let vcpu = state.currentVCPU
    switch binding.command {
    case .help, .quit: return nil
    case .nextStep: return state.playback.map { $0.isFinished ? nil : 100 } ?? nil
    case .previousStep: return state.playback == nil ? nil : 99
    case .autoplay: return state.playback.map { $0.isFinished ? nil : 98 } ?? nil
    case .smm where vcpu.inSMM: return 97
    case .nested where vcpu.inL2: return 96
    case .reboot: return state.vm.stopped ? 95 : nil
    case .redo: return state.history.canGoForward ? 93 : nil
    case .undo where state.history.position > 0: return 70
    case .scenarios where state.playback != nil: return 20
    default: return binding.rank
    }
  }

  /// What the bar says beside `binding`'s key in `state` (`s RSM` in SMM, `v VM-exit` in L2).
  static func brief(_ binding: Binding, in state: AppState) -> String {
    switch binding.command {
    case .smm where state.currentVCPU.inSMM: return "RSM"
    case .nested where state.currentVCPU.inL2: return "VM-exit"
    case .autoplay where state.playback?.autoplay == true: return "stop"
    default: return binding.brief ?? binding.summary
    }
  }

  /// The command for `key` in the register view, if it has one.
  public static func command(for key: Key) -> KeyCommand? {
    if case .character(let c) = key, c.isASCII, let digit = c.wholeNumberValue {
      return .selectVCPU(digit)
    }
    for group in groups {
      for binding in group.bindings where binding.keys.contains(key) { return binding.command }
    }
    return nil
  }
}
