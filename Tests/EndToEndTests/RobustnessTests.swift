import Foundation
import SeededRandom
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The TUI under abuse (issue 6): a resize storm, 10,000 seeded random keys with mouse reports
/// and the `:` prompt, Ctrl-Z and `fg`, SIGTERM, a terminal that goes away, a full disk under
/// `--record`. After each: no crash, the terminal restored, and the record replays to the state
/// the screen showed.
@Suite("TUI robustness end to end (tmux)", .serialized)
struct RobustnessTests {
  @Test("a resize storm below and above 80x24: still running, the same screen at the end")
  func resizeStorm() throws {
    let app = try TUIRun()
    let before = try app.tmux.waitFor("CR4.SMEP")
    var random = SplitMix64(seed: 0x5EED_0001)
    let sizes = [2, 20, 40, 79, 80, 81, 100, 132, 200]
    let heights = [2, 5, 10, 23, 24, 25, 30, 50, 60]
    for _ in 0..<60 {
      let width = sizes[Int(random.next() % UInt64(sizes.count))]
      let height = heights[Int(random.next() % UInt64(heights.count))]
      try app.tmux.resize(width: width, height: height)
    }
    try app.tmux.resize(width: 60, height: 15)
    try app.tmux.waitFor("enlarge the window (need 80x24, have 60x15)")
    try app.tmux.resize(width: 100, height: 30)
    try app.tmux.waitFor("the first screen again") { $0 == before }
    try app.tmux.keys("?")
    try app.tmux.waitFor("toggle bit (MOV to CR)")
    try app.tmux.keys("Escape")
    try app.tmux.waitFor("help closed") { $0 == before }
    try app.tmux.keys("q")
    let (status, modes) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=0")
    #expect(terminalIsCooked(modes), "\(modes)")
  }

  @Test("10,000 seeded random keys, clicks, wheel turns and prompt lines: still answering, record replays")
  func randomKeys() throws {
    let record = try TemporaryRecord()
    let app = try TUIRun(arguments: "--record '\(record.path)'")
    var random = SplitMix64(seed: 0xC0FF_EE06)
    var batch = ""
    var batchKeys = 0
    var sent = 0
    while sent < 10_000 {
      let (text, count) = RandomInput.next(&random)
      batch += text
      batchKeys += count
      sent += count
      if batchKeys >= 250 {
        try app.tmux.send(literal: batch)
        batch = ""
        batchKeys = 0
      }
    }
    if !batch.isEmpty { try app.tmux.send(literal: batch) }
    // Every key before it has been handled once the barrier shows; the prompt stops autoplay.
    let screen = try app.barrier()
    let shown = try #require(ScreenState(screen), "registers on the screen:\n\(screen)")
    // The barrier leaves the `:` line open: the first Ctrl-C cancels it, the second quits
    // (recording, so nothing would be lost and it does not ask).
    try app.tmux.keys("C-c")
    try app.tmux.waitFor("the line cancelled") { !$0.contains("zxwyzgzxwy") }
    try app.tmux.keys("C-c")
    let (status, modes) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=130")
    #expect(terminalIsCooked(modes), "\(modes)")
    try expectReplay(of: record.path, endsIn: shown)
  }

  @Test("Ctrl-Z stops it, fg brings the screen back and keys work; the terminal is sane after")
  func suspendAndResume() throws {
    let app = try TUIRun(listed: false)
    try app.tmux.keys("s")
    try app.tmux.waitFor("the SMI") { $0.contains("L1  SMM") }
    try app.tmux.keys("C-z")
    try app.tmux.waitFor("Stopped")
    let stopped = try app.tmux.waitFor("the shell's prompt") { !$0.contains("CR4 0x") }
    #expect(!stopped.contains("CR4 0x"))
    try app.tmux.type("fg", enter: true)
    try app.tmux.waitFor("the screen again") { $0.contains("L1  SMM") && $0.contains("CR4 0x") }
    try app.tmux.keys("s")
    try app.tmux.waitFor("the RSM") { $0.contains("CR4 0x0000000000360ef0") && !$0.contains("L1  SMM") }
    try app.tmux.keys("q")
    try app.tmux.waitFor("would be lost")
    try app.tmux.keys("y")
    try app.tmux.waitFor("the shell again") { !$0.contains("CR4 0x") }
    try app.tmux.type("echo \"EXIT=$?\"; stty -a", enter: true)
    let (status, modes) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=0")
    #expect(terminalIsCooked(modes), "\(modes)")
  }

  @Test("SIGTERM mid-session: exit 143, terminal restored, the record replays to the screen's state")
  func terminate() throws {
    let record = try TemporaryRecord()
    let app = try TUIRun(arguments: "--record '\(record.path)'")
    try app.tmux.keys("=")
    try app.tmux.waitFor("host wrmsr CR4_PINNED_HIGH, 0x200800")
    try app.tmux.keys("Space")
    try app.tmux.waitFor("CR4 0x0000000000260ef0")
    try app.tmux.keys("s")
    try app.tmux.waitFor("the SMI") { $0.contains("L1  SMM") }
    try app.tmux.keys("u")
    try app.tmux.waitFor("the SMI undone") {
      !$0.contains("L1  SMM") && $0.contains("CR4 0x0000000000260ef0")
    }
    try app.tmux.keys("1")
    try app.tmux.waitFor("vCPU 1/2")
    try app.tmux.keys(":")
    try app.tmux.type("set cr4.PCE", enter: true)
    let screen = try app.tmux.waitFor("CR4 with PCE") { $0.contains("CR4 0x0000000000360ff0") }
    let shown = try #require(ScreenState(screen), "registers on the screen:\n\(screen)")
    #expect(kill(try app.crpinPID(), SIGTERM) == 0)
    let (status, modes) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=143")
    #expect(terminalIsCooked(modes), "\(modes)")
    try expectReplay(of: record.path, endsIn: shown)
  }

  @Test("the terminal goes away (tmux server killed): crpin exits within seconds")
  func hangup() throws {
    let app = try TUIRun()
    let pid = try app.crpinPID()
    try app.tmux.killServer()
    let deadline = Date().addingTimeInterval(5)
    while processExists(pid), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    #expect(!processExists(pid), "crpin (pid \(pid)) still runs 5 s after its terminal went away")
    if processExists(pid) { kill(pid, SIGKILL) }
  }

  @Test("--record: an earlier session's file stays whole until the first action")
  func recordKeepsOldFile() throws {
    let record = try TemporaryRecord()
    try Data("# yesterday's session\nsmi\n".utf8).write(to: URL(fileURLWithPath: record.path))
    let app = try TUIRun(arguments: "--record '\(record.path)'")
    try app.tmux.waitFor("REC")
    #expect(try record.contents() == "# yesterday's session\nsmi\n")
    try app.tmux.keys("s")
    try app.tmux.waitFor("the SMI") { $0.contains("L1  SMM") }
    #expect(try record.contents() == "vcpus 2\nsmi\n")
    #expect(try record.leftovers().isEmpty, "no temporary file left next to it")
    try app.tmux.keys("q")
    let (status, _) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=0")
  }

  @Test("--record past a file-size limit (a full disk): the status says so, the file holds whole statements")
  func recordDiskFull() throws {
    let record = try TemporaryRecord()
    // 1 KiB: the set-up and 56 toggles of 18 bytes fit, the 57th does not.
    let app = try TUIRun(prefix: "ulimit -f 1;", arguments: "--record '\(record.path)'")
    try app.tmux.send(literal: String(repeating: " ", count: 70))
    try app.tmux.waitFor("cannot write the record session.crpin (File too large)")
    try app.tmux.keys("q")
    let (status, modes) = try app.exitAndTerminalModes()
    #expect(status == "EXIT=0")
    #expect(terminalIsCooked(modes), "\(modes)")
    let text = try record.contents()
    #expect(text.hasSuffix("\n"))
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.first == "vcpus 2")
    #expect(lines.dropFirst().allSatisfy { $0 == "mov cr4, 0x260ef0" }, "\(text)")
    #expect(lines.count > 2 && text.utf8.count <= 1024, "\(text.utf8.count) bytes")
    let replay = try Tmux.execute([try CrpinBinary.require(), "run", record.path])
    #expect(replay.status == 0, "\(replay.error)")
  }
}

// MARK: - Helpers

extension TUIRun {
  /// The crpin process: the shell's child.
  func crpinPID() throws -> pid_t {
    let shell = try tmux.shellPID()
    let deadline = Date().addingTimeInterval(5)
    while Date() < deadline {
      let children =
        (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
      for word in children.split(separator: " ") {
        guard let pid = pid_t(word) else { continue }
        let name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
        if name.hasPrefix("crpin") { return pid }
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
    throw Tmux.Failure(description: "no crpin process under the shell \(shell)")
  }

  /// Types a token into the `:` prompt and waits until it shows: every key sent before has
  /// been handled then. From the help overlay or the prompt, Ctrl-U and Backspace get back to
  /// the register view; the scenario picker is closed with `S` (never Escape: Escape and the
  /// next key together read as Alt plus a key and are dropped). Returns the screen, with the
  /// prompt still open, so autoplay cannot act after it.
  func barrier() throws -> String {
    let token = "zxwyzgzxwy"
    for _ in 0..<5 {
      try tmux.send(literal: "\u{15}\u{7F}:" + token)
      var previous = ""
      var stableSince = Date()
      let deadline = Date().addingTimeInterval(40)
      while Date() < deadline {
        let screen = try tmux.capture()
        if screen.contains(token) { return screen }
        if screen != previous {
          previous = screen
          stableSince = Date()
        } else if Date().timeIntervalSince(stableSince) > 1 {
          break
        }
        Thread.sleep(forTimeInterval: 0.05)
      }
      if previous.contains("Scenarios") { try tmux.send(literal: "S") }
    }
    let screen = try tmux.capture()
    Issue.record("the app did not answer after the random keys; the screen was:\n\(screen)")
    throw Tmux.Failure(description: "no answer")
  }
}

/// A record file path in a fresh temporary directory, removed at the end.
final class TemporaryRecord {
  let directory: String
  let path: String

  init() throws {
    var template = Array((NSTemporaryDirectory() + "/crpin-e2e-record-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { throw Tmux.Failure(description: "mkdtemp failed") }
    directory = String(cString: made)
    path = directory + "/session.crpin"
  }

  deinit { try? FileManager.default.removeItem(atPath: directory) }

  func contents() throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

  /// Files other than the record in its directory.
  func leftovers() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0 != "session.crpin" }
  }
}

/// The registers and pins of the vCPU on screen, as the register view shows them.
struct ScreenState: Equatable, CustomStringConvertible {
  var vcpu: Int
  var registers: [String: UInt64]

  init?(_ screen: String) {
    func hex(_ pattern: String, in text: Substring) -> UInt64? {
      guard let regex = try? Regex(pattern), let match = text.firstMatch(of: regex),
        let group = match.output[1].substring
      else { return nil }
      return UInt64(group, radix: 16)
    }
    let all = Substring(screen)
    guard let header = try? Regex(#"vCPU (\d+)/\d+"#), let match = all.firstMatch(of: header),
      let number = match.output[1].substring, let vcpu = Int(number)
    else { return nil }
    self.vcpu = vcpu
    registers = [:]
    for (name, pattern) in [
      ("cr0", #"CR0 0x([0-9a-f]{16})"#), ("cr4", #"CR4 0x([0-9a-f]{16})"#),
      ("efer", #"EFER 0x([0-9a-f]+)"#), ("cr3", #"CR3 +0x([0-9a-f]+)"#),
    ] {
      guard let value = hex(pattern, in: all) else { return nil }
      registers[name] = value
    }
    // The pins, where the register boxes' titles show them.
    for register in ["CR0", "CR4"] {
      guard let line = screen.split(separator: "\n").first(where: { $0.contains("\(register) 0x") }) else {
        continue
      }
      if let high = hex(#"high 0x([0-9a-f]+)"#, in: line) {
        registers["\(register.lowercased())_high"] = high
      }
      if let low = hex(#"low 0x([0-9a-f]+)"#, in: line) { registers["\(register.lowercased())_low"] = low }
    }
  }

  var description: String {
    "vCPU \(vcpu): "
      + registers.sorted { $0.key < $1.key }.map { "\($0.key)=0x\(String($0.value, radix: 16))" }
      .joined(separator: " ")
  }
}

/// Replays `record` with `crpin run --format jsonl`, then selects the vCPU the screen showed,
/// and checks that its registers and pins are the screen's.
func expectReplay(
  of record: String, endsIn shown: ScreenState, sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let copy = record + ".replay"
  defer { unlink(copy) }
  let recorded = try String(contentsOfFile: record, encoding: .utf8)
  #expect(
    recorded.isEmpty || recorded.hasSuffix("\n"), "the record ends in a whole line",
    sourceLocation: sourceLocation)
  try Data((recorded + "vcpu \(shown.vcpu)\n").utf8).write(to: URL(fileURLWithPath: copy))
  let replay = try Tmux.execute([try CrpinBinary.require(), "run", copy, "--format", "jsonl"])
  // 1: an `expect` the session ran failed (a scenario step after actions by hand): it fails the
  // same way in the replay. Anything else (2: a line that does not parse) is a broken record.
  #expect([0, 1].contains(replay.status), "crpin run: \(replay.error)", sourceLocation: sourceLocation)
  let last = replay.output.split(separator: "\n").last.map(String.init) ?? ""
  guard let object = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any] else {
    Issue.record(
      "no JSON line at the end of the replay: \(last)\n\(replay.error)", sourceLocation: sourceLocation)
    return
  }
  let pins = object["pins"] as? [String: Any] ?? [:]
  func value(_ key: String) -> UInt64? {
    let text = (object[key] ?? pins[key]) as? String
    return text.flatMap { UInt64($0.dropFirst(2), radix: 16) }
  }
  var replayed = shown
  for key in shown.registers.keys { replayed.registers[key] = value(key) }
  replayed.vcpu = object["vcpu"] as? Int ?? -1
  #expect(replayed == shown, "the record replays to another state", sourceLocation: sourceLocation)
}

/// Whether `pid` is a live process (not gone, not a zombie).
func processExists(_ pid: pid_t) -> Bool {
  guard kill(pid, 0) == 0 else { return false }
  let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
  guard let close = stat.lastIndex(of: ")") else { return false }
  return !stat[close...].hasPrefix(") Z")
}

/// Random input for the TUI: keys, escape sequences, SGR mouse reports and `:` prompt lines.
///
/// Left out: `q` (quits at once while recording) and the terminal's own control characters
/// (Ctrl-C, Ctrl-Z, Ctrl-\ signal; Ctrl-S, Ctrl-Q stop the output; Ctrl-V quotes the next key).
enum RandomInput {
  static let keys = Array("hjklHLmstv+-=rRbKCNunSpa?:0123456789 xyzQAE.,/")
  static let sequences = [
    "\u{1B}[A", "\u{1B}[B", "\u{1B}[C", "\u{1B}[D", "\u{1B}[H", "\u{1B}[F", "\u{1B}[5~", "\u{1B}[6~",
    "\u{1B}[Z", "\u{1B}[3~", "\t", "\r", "\u{7F}", "\u{12}", "\u{15}", "\u{1B}", "é", "\u{1B}OP",
  ]
  static let statements = [
    "smi", "rsm", "mov cr4, cr4 & ~SMEP", "set cr4.SMEP", "clear cr0.WP", "kernel write cr4, cr4 & ~SMAP",
    "host wrmsr CR4_PINNED_HIGH, 0", "wrmsr CR4_PINNED_HIGH, SMEP", "vmentry", "vmexit",
    "vmcs12 host_cr4, 0", "smram cr4, 0", "reset", "reboot", "reboot keep-pins", "migrate drop-pins",
    "boot", "kexec", "stac", "clac", "exec user", "access user", "option mechanism heki",
    "option mechanism kvm-rfc2", "option mechanism vtl1", "option mechanism native",
    "option mechanism kvm-2020", "hypercall lock_cr cr4, SMEP", "vcpu 1", "vcpu 0",
    "host sregs cr4=cr4 | SMEP", "mov cr0, 0", "mov cr3, ~0", "vcpus 3", "nonsense 0x", "mov cr4, (((1",
    "option enforce-pv-cpuid on", "vtl1 intercept cr4, 0xffffffff", "host rdmsr CR4_PINNED_HIGH",
  ]
  static let junk = Array("abcdefghijklmnoprstuvwxyz0123456789 ,.|&~()=<>_-#\"'éλ中")

  /// The next piece of input and how many keys it counts as.
  static func next(_ random: inout SplitMix64) -> (String, Int) {
    func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
    switch random.next() % 100 {
    case 0..<55:
      return (String(pick(keys)), 1)
    case 55..<75:
      return (pick(sequences), 1)
    case 75..<90:
      // A click, a release or a wheel turn, mostly over the bit rows.
      let button = pick(["0", "0", "0", "64", "65"])
      let column = 1 + Int(random.next() % 100)
      let row = random.next() % 2 == 0 ? 3 + Int(random.next() % 10) : 1 + Int(random.next() % 30)
      return ("\u{1B}[<\(button);\(column);\(row)\(pick(["M", "M", "m"]))", 1)
    default:
      // A prompt line: a statement, maybe edited, or junk; then Enter (or not).
      var text = random.next() % 4 == 0 ? "" : pick(statements)
      for _ in 0..<Int(random.next() % 4) {
        text += random.next() % 3 == 0 ? "\u{7F}" : String(pick(junk))
      }
      text = text.replacingOccurrences(of: "q", with: "Q")
      let enter = random.next() % 8 == 0 ? "" : "\r"
      return (":" + text + enter, 1 + text.count + enter.count)
    }
  }
}
