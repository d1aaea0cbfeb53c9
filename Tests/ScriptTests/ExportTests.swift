import Foundation
import Script
import Testing

/// The built `crpin` for the export and explain end-to-end tests (`BuiltBinary` finds it).
enum KitBinary {
  /// Runs crpin in `directory` with `stdin`; status, stdout, stderr.
  static func run(_ arguments: [String], stdin: String = "", in directory: URL? = nil) throws -> (
    status: Int32, out: String, err: String
  ) {
    try BuiltBinary.run(arguments, stdin: stdin, in: directory)
  }

  /// A fresh empty directory.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "crpin-export-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

/// `crpin export slides` and `crpin export asciicast`: goldens on a tiny script, determinism,
/// atomic writes, exit statuses.
@Suite("export")
struct ExportTests {
  static let tiny = """
    #> Clear SMEP with a raw mov.
    clear cr4.SMEP
    expect gp
    #> The VMM unpins, then the same mov works.
    host wrmsr CR4_PINNED_HIGH, 0
    clear cr4.SMEP
    expect ok

    """

  /// A lesson of two narrated steps with a heading, a skipped check and a closing narration.
  static let lesson = """
    #> SMEP in two steps
    #>
    #> Clear SMEP with a raw mov.
    clear cr4.SMEP
    expect gp
    expect[heki] ok
    #> The VMM unpins, then the same mov works.
    host wrmsr CR4_PINNED_HIGH, 0
    clear cr4.SMEP
    expect ok
    #> SMEP is off: ret2usr works again.

    """

  @Test("slides: golden of a two-step lesson (front matter, ---, changed rows only, the title once)")
  func slidesGolden() throws {
    let title = try #require(ScriptTitle.heading(of: Self.lesson))
    #expect(title == "SMEP in two steps")
    let deck = SlideDeck(source: Self.lesson, title: title, origin: "`two.crpin`")
    #expect(deck.report.error == nil)
    #expect(deck.sectionCount == 2)
    #expect(deck.markdown == Self.lessonSlides)
  }

  @Test("handout: golden of the tiny script (a section per statement, every row)")
  func handoutGolden() {
    let deck = SlideDeck(source: Self.tiny, title: "tiny.crpin", origin: "`tiny.crpin`", form: .handout)
    #expect(deck.report.error == nil)
    #expect(deck.sectionCount == 3)
    #expect(deck.markdown == Self.slides)
  }

  @Test("slides: the lesson has a slide per narrated step, separated by --- lines")
  func slidesLesson() throws {
    let scenario = try #require(Scenario.named("lesson-smep"))
    let deck = SlideDeck(source: scenario.source, title: scenario.title, origin: "lesson-smep")
    #expect(deck.report.failures.isEmpty)
    #expect(deck.sectionCount == 9)
    let lines = deck.markdown.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.prefix(3) == ["---", "marp: true", "---"])
    // Title, 9 steps and the closing narration: 10 separators after the front matter, each
    // with a blank line on both sides (reveal-md's separator; CommonMark's ruler for Marp).
    #expect(lines.dropFirst(3).count { $0 == "---" } == 10)
    #expect(deck.markdown.components(separatedBy: "\n\n---\n\n").count == 11)
    #expect(lines.count { $0.hasPrefix("## Step ") } == 9)
    #expect(deck.markdown.contains("## Step 1/9\n"))
    #expect(deck.markdown.contains("## Step 9/9\n"))
    #expect(
      deck.markdown.contains("  - native: restored 0x100000 and warned `pinned CR4 bits changed: 0x100000!?`")
    )
    // Changed rows only: CR0 never changes in the lesson, so no slide has a CR0 row.
    #expect(!deck.markdown.contains("| CR0 |"))
    #expect(deck.markdown.contains("| CR4 | 0x360ef0 | 0x260ef0 |"))
    #expect(!deck.markdown.contains("| register | before | after |"))
  }

  @Test("handout: the lesson has a section per statement, narration, layers and the warning")
  func handoutLesson() throws {
    let scenario = try #require(Scenario.named("lesson-smep"))
    let deck = SlideDeck(
      source: scenario.source, title: scenario.title, origin: "lesson-smep", form: .handout)
    #expect(deck.report.failures.isEmpty)
    #expect(deck.markdown.contains("## Step 1: `option mechanism none`"))
    #expect(deck.markdown.contains("## Step 17: `exec user`"))
    #expect(
      deck.markdown.contains("- native: restored 0x100000 and warned `pinned CR4 bits changed: 0x100000!?`"))
    #expect(deck.markdown.contains("LKDTM test UNSET_SMEP"))
    #expect(
      deck.markdown
        == SlideDeck(source: scenario.source, title: scenario.title, origin: "lesson-smep", form: .handout)
        .markdown)
  }

  @Test("slides: a narration paragraph that reads as a ruler is escaped, not a slide break")
  func slidesRulerNarration() {
    let deck = SlideDeck(source: "#> ---\n#>\n#> text\nclac\n", title: "t", origin: "t")
    #expect(deck.markdown.contains("\n\\---\n"))
    #expect(deck.markdown.components(separatedBy: "\n\n---\n\n").count == 2)
  }

  @Test("title: a first narration line alone in its paragraph; otherwise none")
  func scriptTitle() {
    #expect(ScriptTitle.heading(of: "# comment\n#> Title\n#>\n#> more\nclac\n") == "Title")
    #expect(ScriptTitle.heading(of: "#> Title\n#>\n") == "Title")
    #expect(ScriptTitle.heading(of: "#> Two lines\n#> of narration\n#>\nclac\n") == nil)
    #expect(ScriptTitle.heading(of: "#> Narration then a statement\nclac\n") == nil)
    #expect(ScriptTitle.heading(of: "clac\n#> Title\n#>\n") == nil)
    #expect(ScriptTitle.heading(of: "mvo\n") == nil)
    #expect(ScriptTitle.withoutTitle(["T", "a"], title: "T") == ["a"])
    #expect(ScriptTitle.withoutTitle(["a", "T"], title: "T") == ["a", "T"])
  }

  @Test("slides: a failing expect is marked; a run-time error is reported")
  func slidesFailures() {
    let failing = SlideDeck(source: "clear cr4.SMEP\nexpect ok\n", title: "t", origin: "t")
    #expect(failing.report.exitCode == 1)
    #expect(failing.markdown.contains("  - ✗ `expect ok` **FAILED**: "))
    let handout = SlideDeck(source: "clear cr4.SMEP\nexpect ok\n", title: "t", origin: "t", form: .handout)
    #expect(handout.markdown.contains("- `expect ok` — **FAILED**: "))
    let broken = SlideDeck(source: "vcpu 3\n", title: "t", origin: "t")
    #expect(broken.report.error != nil)
  }

  @Test("asciicast: golden header, times and frames of the tiny script at 80x24")
  func asciicastGolden() throws {
    let directory = try KitBinary.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Self.tiny.write(
      to: directory.appendingPathComponent("tiny.crpin"), atomically: false, encoding: .utf8)
    let result = try KitBinary.run(
      ["export", "asciicast", "tiny.crpin", "-o", "tiny.cast", "--size", "80x24"], in: directory)
    #expect(result.status == 0, "\(result.err)")
    #expect(result.out == "wrote tiny.cast: 2 steps, 3 frames, 80x24\n")
    let cast = try String(contentsOf: directory.appendingPathComponent("tiny.cast"), encoding: .utf8)
    let lines = cast.split(separator: "\n").map(String.init)
    #expect(lines.first == Self.castHeader)
    var times: [String] = []
    var frames: [String] = []
    for line in lines.dropFirst() {
      let event = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], "not a JSON array: \(line)")
      #expect(event.count == 3)
      #expect(event[1] as? String == "o")
      times.append(String(line.prefix { $0 != "," }.dropFirst()))
      let text = try #require(event[2] as? String)
      if !text.isEmpty { frames.append(TerminalEmulator.screen(text, width: 80, height: 24)) }
    }
    #expect(times == ["0.0", "4.5", "9.0", "10.5"])
    #expect(frames.count == 3)
    // A frame per narrated step, counted as the TUI counts them; no key bar (watched, not driven).
    #expect(frames.map { $0.contains("step 0/2") } == [true, false, false])
    #expect(frames.map { $0.contains("step 1/2") } == [false, true, false])
    #expect(frames.map { $0.contains("step 2/2") } == [false, false, true])
    #expect(!cast.contains("Spc toggle"))
    // Nor the keys the panes and the mode line name for a user at the keyboard.
    #expect(!cast.contains("run it") && !cast.contains("? help") && !cast.contains("PgUp"))
    #expect(frames.first == Self.firstFrame)
    #expect(frames.last == Self.lastFrame)
    // Monochrome SGR: the mode line in reverse video, titles bold.
    #expect(cast.contains("\\u001b[0;7m vCPU 0/1"))
    #expect(cast.contains("\\u001b[0;1mCR0"))
  }

  @Test("asciicast and slides: the same input gives the same bytes; no temporary file is left")
  func deterministic() throws {
    let directory = try KitBinary.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    for name in ["a", "b"] {
      let cast = try KitBinary.run(
        ["export", "asciicast", "lesson-smap", "-o", "\(name).cast"], in: directory)
      #expect(cast.status == 0, "\(cast.err)")
      let slides = try KitBinary.run(["export", "slides", "lesson-smap", "-o", "\(name).md"], in: directory)
      #expect(slides.status == 0, "\(slides.err)")
    }
    for ext in ["cast", "md"] {
      let a = try Data(contentsOf: directory.appendingPathComponent("a.\(ext)"))
      let b = try Data(contentsOf: directory.appendingPathComponent("b.\(ext)"))
      #expect(!a.isEmpty && a == b, "\(ext) differs between two runs")
    }
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(names == ["a.cast", "a.md", "b.cast", "b.md"])
  }

  @Test("export: errors write nothing (exit 2); a failing expect writes and exits 1")
  func statuses() throws {
    let directory = try KitBinary.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let unknown = try KitBinary.run(["export", "slides", "lesson-smpe", "-o", "x.md"], in: directory)
    #expect(unknown.status == 2)
    #expect(unknown.err.contains("did you mean 'lesson-smep'?"))
    let missing = try KitBinary.run(["export", "slides", "missing.crpin", "-o", "x.md"], in: directory)
    #expect(missing.status == 2)
    #expect(missing.err == "missing.crpin: error: no such file\n")
    let parse = try KitBinary.run(
      ["export", "slides", "-", "-o", "x.md"], stdin: "mvo cr4, 0\n", in: directory)
    #expect(parse.status == 2)
    let size = try KitBinary.run(
      ["export", "asciicast", "lesson-smep", "-o", "x.cast", "--size", "10x5"], in: directory)
    #expect(size.status == 2)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    let failing = try KitBinary.run(
      ["export", "slides", "-", "-o", "x.md"], stdin: "clear cr4.SMEP\nexpect ok\n", in: directory)
    #expect(failing.status == 1)
    #expect(failing.err.contains("<stdin>:2: expectation failed: expect ok"))
    #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("x.md").path))
  }

  @Test("lesson-smep runs headless with exit status 0")
  func lessonCLI() throws {
    #expect(try KitBinary.run(["scenario", "lesson-smep"]).status == 0)
    #expect(try KitBinary.run(["scenario", "lesson-smap"]).status == 0)
  }
}
