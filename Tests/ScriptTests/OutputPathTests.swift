import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `crpin export … -o FILE` never replaces what is not an ordinary file (issue 19, item 1): a
/// device or FIFO is written through, an existing file keeps its mode and owner, a symbolic link
/// is followed, hard links and the input script are refused, `-o -` is standard output.
@Suite("export output paths")
struct OutputPathTests {
  /// `lstat` of `path`.
  private func status(_ path: String) -> stat {
    var result = stat()
    _ = lstat(path, &result)
    return result
  }

  private func export(_ output: String, in directory: TemporaryDirectory, script: String = "rop-smep")
    throws -> HostileRun
  {
    try HostileRun.shell(#""$0" export slides "$1" -o "$2""#, arguments: [script, output], in: directory)
  }

  private func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

  @Test("/dev/null is written through and stays a character device; exit 0")
  func devNull() throws {
    let directory = try TemporaryDirectory()
    let result = try export("/dev/null", in: directory)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(status("/dev/null").st_mode & S_IFMT == S_IFCHR)
    #expect(result.stdout.contains("wrote /dev/null: "))
  }

  @Test("/dev/full: written through, the reason, exit 3, still a device")
  func devFull() throws {
    let directory = try TemporaryDirectory()
    let result = try export("/dev/full", in: directory)
    #expect(result.status == 3)
    #expect(
      result.stderr.contains("/dev/full: error: cannot write it: No space left on device"), "\(result.stderr)"
    )
    #expect(status("/dev/full").st_mode & S_IFMT == S_IFCHR)
  }

  @Test("a FIFO is written through to its reader and stays a FIFO")
  func fifo() throws {
    let directory = try TemporaryDirectory()
    let fifo = directory.path("pipe")
    #expect(mkfifo(fifo, 0o644) == 0)
    let got = directory.path("got")
    let result = try HostileRun.shell(
      #"cat "$1" > "$2" & "$0" export slides rop-smep -o "$1"; status=$?; wait; exit $status"#,
      arguments: [fifo, got], in: directory)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try contents(got).hasPrefix("---\nmarp: true\n---\n"))
    #expect(status(fifo).st_mode & S_IFMT == S_IFIFO)
  }

  @Test("an existing 0600 file keeps its mode (and, as root, its owner and group)")
  func keepsModeAndOwner() throws {
    let directory = try TemporaryDirectory()
    let output = directory.path("slides.md")
    try Data("old\n".utf8).write(to: URL(fileURLWithPath: output))
    #expect(chmod(output, 0o600) == 0)
    let isRoot = geteuid() == 0
    if isRoot { #expect(chown(output, 4321, 4322) == 0) }
    let result = try export(output, in: directory)
    #expect(result.status == 0, "\(result.stderr)")
    let after = status(output)
    #expect(after.st_mode & 0o7777 == 0o600)
    if isRoot {
      #expect(after.st_uid == 4321)
      #expect(after.st_gid == 4322)
    }
    #expect(try contents(output).hasPrefix("---\nmarp: true\n"))
  }

  @Test("a symbolic link is followed: its file is replaced, the link stays a link")
  func followsSymlink() throws {
    let directory = try TemporaryDirectory()
    let real = directory.path("real.md")
    let link = directory.path("link.md")
    try Data("old\n".utf8).write(to: URL(fileURLWithPath: real))
    #expect(symlink(real, link) == 0)
    let result = try export(link, in: directory)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(status(link).st_mode & S_IFMT == S_IFLNK)
    #expect(try contents(real).hasPrefix("---\nmarp: true\n"))
  }

  @Test("a symbolic link to a missing file is refused, exit 2, nothing created")
  func danglingSymlink() throws {
    let directory = try TemporaryDirectory()
    let link = directory.path("link.md")
    #expect(symlink(directory.path("absent.md"), link) == 0)
    let result = try export(link, in: directory)
    #expect(result.status == 2)
    #expect(result.stderr.contains("\(link): error: a symbolic link to a missing or unreachable file"))
    #expect(!FileManager.default.fileExists(atPath: directory.path("absent.md")))
  }

  @Test("a file with another hard link is refused and both names keep the old text")
  func hardLink() throws {
    let directory = try TemporaryDirectory()
    let first = directory.path("a.md")
    let second = directory.path("b.md")
    try Data("old\n".utf8).write(to: URL(fileURLWithPath: first))
    #expect(link(first, second) == 0)
    let result = try export(first, in: directory)
    #expect(result.status == 2)
    #expect(result.stderr.contains("\(first): error: has 2 hard links: replacing it would split them"))
    #expect(try contents(first) == "old\n")
    #expect(status(first).st_ino == status(second).st_ino)
  }

  @Test("-o naming the input script (directly or through a link) is refused; the script is unchanged")
  func outputIsInput() throws {
    let directory = try TemporaryDirectory()
    let script = directory.path("lesson.crpin")
    let text = "#> A step\nmov cr4, 0x3606f0\n"
    try Data(text.utf8).write(to: URL(fileURLWithPath: script))
    let alias = directory.path("alias.md")
    #expect(symlink(script, alias) == 0)
    for output in [script, alias] {
      let result = try export(output, in: directory, script: script)
      #expect(result.status == 2)
      #expect(result.stderr.contains("error: is the input script"), "\(result.stderr)")
      #expect(try contents(script) == text)
    }
  }

  @Test("-o - writes the export to standard output and the summary to standard error")
  func standardOutput() throws {
    let directory = try TemporaryDirectory()
    let result = try export("-", in: directory)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("---\nmarp: true\n---\n"))
    #expect(result.stderr.hasPrefix("wrote standard output: "))
    #expect(!FileManager.default.fileExists(atPath: directory.path("-")))
  }

  @Test("-o - with standard output closed or full: exit 3 and why", arguments: ["1>&-", "1>/dev/full"])
  func standardOutputFails(redirection: String) throws {
    let directory = try TemporaryDirectory()
    let result = try HostileRun.shell(
      #""$0" export slides rop-smep -o - "# + redirection, arguments: [], in: directory)
    #expect(result.status == 3)
    #expect(result.stderr.hasPrefix("crpin: error: cannot write to standard output: "), "\(result.stderr)")
  }

  @Test("-o '' and -o DIRECTORY: a clear message, exit 2, not a rename error")
  func emptyNameAndDirectory() throws {
    let directory = try TemporaryDirectory()
    let empty = try export("", in: directory)
    #expect(empty.status == 2)
    #expect(empty.stderr.contains("error: the output file's name is empty"), "\(empty.stderr)")
    let folder = try export(directory.url.path, in: directory)
    #expect(folder.status == 2)
    #expect(folder.stderr.contains("\(directory.url.path): error: is a directory: give a file's path"))
    #expect(!folder.stderr.contains("rename"))
  }

  @Test("past `ulimit -f`: exit 3 with the reason, no FILE.tmp-XXXXXX left, the old file kept")
  func fileSizeLimit() throws {
    let directory = try TemporaryDirectory()
    let output = directory.path("big.cast")
    try Data("old\n".utf8).write(to: URL(fileURLWithPath: output))
    let result = try HostileRun.shell(
      #"ulimit -f 1; "$0" export asciicast lesson-smep -o "$1""#, arguments: [output], in: directory)
    #expect(!result.signaled)
    #expect(result.status == 3)
    #expect(result.stderr.contains("File too large"), "\(result.stderr)")
    #expect(try contents(output) == "old\n")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
      .filter { $0.contains(".tmp-") }
    #expect(leftovers.isEmpty)
  }
}
