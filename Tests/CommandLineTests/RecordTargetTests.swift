import Foundation
import Testing

@testable import crpin

#if canImport(Glibc)
  import Glibc
#endif

/// What `--record PATH` may be (issue 19, item 1): a FIFO is refused at once (no hang), a
/// character device is written through, a symbolic link is followed, hard links are refused,
/// and a replaced file keeps its mode.
@Suite("the --record path")
struct RecordTargetTests {
  private func kind(_ path: String) -> mode_t {
    var status = stat()
    _ = lstat(path, &status)
    return status.st_mode & S_IFMT
  }

  @Test("a FIFO is refused with a message, without waiting for a reader")
  func fifoRefused() throws {
    let directory = try RecordFileTests.Directory()
    let fifo = directory.file("pipe")
    #expect(mkfifo(fifo, 0o644) == 0)
    do {
      _ = try RecordFile(path: fifo)
      Issue.record("a FIFO was accepted")
    } catch {
      #expect(
        error.message
          == "cannot write the record file \(fifo): is a FIFO: the record file is appended to, cut back and replaced, so it must be a file"
      )
    }
    #expect(kind(fifo) == S_IFIFO)
  }

  @Test("/dev/null is written through and stays a device")
  func deviceWrittenThrough() throws {
    var record = try RecordFile(path: "/dev/null")
    #expect(record.rewrite(["vcpus 2"]) == nil)
    #expect(record.append(["smi"]) == nil)
    #expect(record.rewrite(["vcpus 2"]) == nil)
    #expect(kind("/dev/null") == S_IFCHR)
  }

  @Test("/dev/full: the action's write fails with the reason; the device stays")
  func fullDevice() throws {
    var record = try RecordFile(path: "/dev/full")
    let failure = record.append(["smi"])
    let message = try #require(failure)
    #expect(message.contains("No space left on device"), "\(message)")
    #expect(kind("/dev/full") == S_IFCHR)
  }

  @Test("a symbolic link is followed: the file it names is replaced, the link stays")
  func symlinkFollowed() throws {
    let directory = try RecordFileTests.Directory()
    let real = directory.file("real.crpin")
    let link = directory.file("link.crpin")
    try Data("old\n".utf8).write(to: URL(fileURLWithPath: real))
    #expect(symlink(real, link) == 0)
    var record = try RecordFile(path: link)
    #expect(record.rewrite(["vcpus 2"]) == nil)
    #expect(record.append(["smi"]) == nil)
    #expect(kind(link) == S_IFLNK)
    #expect(try String(contentsOfFile: real, encoding: .utf8) == "vcpus 2\nsmi\n")
    #expect(try directory.names() == ["link.crpin", "real.crpin"])
  }

  @Test("a file with other hard links is refused, and both names are unchanged")
  func hardLinkRefused() throws {
    let directory = try RecordFileTests.Directory()
    let first = directory.file("a.crpin")
    try Data("old\n".utf8).write(to: URL(fileURLWithPath: first))
    #expect(link(first, directory.file("b.crpin")) == 0)
    #expect(throws: RecordFile.OpenError.self) { try RecordFile(path: first) }
    #expect(try String(contentsOfFile: first, encoding: .utf8) == "old\n")
  }

  @Test("a 0600 record file keeps its mode when replaced")
  func keepsMode() throws {
    let directory = try RecordFileTests.Directory()
    let path = directory.file("private.crpin")
    try Data("old\n".utf8).write(to: URL(fileURLWithPath: path))
    #expect(chmod(path, 0o600) == 0)
    var record = try RecordFile(path: path)
    #expect(record.rewrite(["vcpus 2"]) == nil)
    #expect(record.append(["smi"]) == nil)
    var status = stat()
    #expect(stat(path, &status) == 0)
    #expect(status.st_mode & 0o7777 == 0o600)
  }
}
