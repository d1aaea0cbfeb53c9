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
  }

  /// A titled group of bindings, as the help overlay shows them.
  public struct Group: Sendable {
    /// The group's heading.
    public let title: String
    /// Its bindings.
    public let bindings: [Binding]
  }

  private static func bind(_ keys: [Key], _ label: String, _ summary: String, _ command: KeyCommand)
    -> Binding
  {
    Binding(keys: keys, label: label, summary: summary, command: command)
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
        bind([.character(" "), .enter], "Spc Enter", "toggle bit (MOV to CR)", .toggle),
        bind(chars("t"), "t", "toggle via kernel write", .kernelToggle),
        bind(chars("H"), "H", "pin bit high (WRMSR)", .guestPin(high: true)),
        bind(chars("L"), "L", "pin bit low (WRMSR)", .guestPin(high: false)),
        bind(chars("m"), "m", "read pinned-high MSR", .guestReadPins),
        bind(chars("s"), "s", "SMI / RSM", .smm),
        bind(chars("v"), "v", "VM-entry to L2 / exit", .nested),
      ]),
    Group(
      title: "Host (VMM)",
      bindings: [
        bind(chars("+"), "+", "pin bit high (SET_MSRS)", .hostPin(high: true)),
        bind(chars("-"), "-", "pin bit low (SET_MSRS)", .hostPin(high: false)),
        bind(chars("="), "=", "unpin bit", .hostUnpin),
        bind(chars("r"), "r", "reset this vCPU", .reset),
        bind(chars("R"), "R", "reboot the VM", .reboot),
        bind(chars("b"), "b", "boot this vCPU", .boot),
        bind(chars("K"), "K", "option kvm-pin on/off", .option(.kvmPin)),
        bind(chars("C"), "C", "option cpuid-pin on/off", .option(.cpuidPin)),
        bind(chars("N"), "N", "option native-pin on/off", .option(.nativePin)),
        bind(chars("W"), "W", "option allowed-writable", .option(.allowedWritable)),
        bind(chars("M"), "M", "next mechanism (unpins)", .cycleMechanism(1)),
      ]),
    Group(
      title: "Session",
      bindings: [
        bind(chars("u"), "u", "step back (undo)", .undo),
        bind([.control("r")], "C-r", "step forward (redo)", .redo),
        bind(chars("T"), "T", "timeline: jump to a step", .timeline),
        bind(chars("c"), "c", "compare mechanisms", .compare),
        bind(chars("D"), "D", "discrepancies D1-D6 R1-R2", .discrepancies),
        bind(chars(":"), ":", "command line (script)", .commandLine),
        bind(chars("S"), "S", "pick a scenario", .scenarios),
        bind(chars("n"), "n", "next scenario step", .nextStep),
        bind(chars("p"), "p", "previous scenario step", .previousStep),
        bind(chars("a"), "a", "autoplay on/off", .autoplay),
        bind([.pageUp], "PgUp", "scroll log back (presenter: narration)", .scrollLog(5)),
        bind([.pageDown], "PgDn", "scroll log forward (presenter: narration)", .scrollLog(-5)),
        bind(chars("?"), "?", "this help", .help),
        bind(chars("q"), "q", "quit", .quit),
      ]),
  ]

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
