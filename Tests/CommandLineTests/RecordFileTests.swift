import Foundation
import Testing

@testable import crpin

#if canImport(Glibc)
  import Glibc
#endif

/// The `--record` file: an earlier session's file is kept until the first action, rewrites are
/// atomic, and a failed append never leaves half a statement.
@Suite("the --record file")
struct RecordFileTests {
  /// A fresh directory, removed when the test ends.
  final class Directory {
    let path: String

    init() throws {
      var template = Array((NSTemporaryDirectory() + "/crpin-record-XXXXXX").utf8CString)
      guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
      path = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    /// The names in the directory, sorted.
    func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }
  }

  private func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

  private func inode(_ path: String) -> UInt64 {
    var status = stat()
    return stat(path, &status) == 0 ? UInt64(status.st_ino) : 0
  }

  @Test("an earlier session's file is untouched until the first action, then replaced whole")
  func keepsOldFileUntilFirstAction() throws {
    let directory = try Directory()
    let path = directory.file("session.crpin")
    try Data("vcpus 2\nsmi\nrsm\n".utf8).write(to: URL(fileURLWithPath: path))
    var record = try RecordFile(path: path)
    #expect(try contents(path) == "vcpus 2\nsmi\nrsm\n", "opening does not truncate")
    #expect(record.rewrite(["vcpus 3"]) == nil)
    #expect(try contents(path) == "vcpus 2\nsmi\nrsm\n", "the set-up alone does not replace it")
    let before = inode(path)
    #expect(record.append(["mov cr4, 0x260ef0"]) == nil)
    #expect(try contents(path) == "vcpus 3\nmov cr4, 0x260ef0\n")
    #expect(inode(path) != before, "replaced by a rename, not rewritten in place")
    #expect(record.append(["smi"]) == nil)
    #expect(try contents(path) == "vcpus 3\nmov cr4, 0x260ef0\nsmi\n")
    #expect(try directory.names() == ["session.crpin"], "no temporary file left")
  }

  @Test("a missing file is created, and the set-up written at once")
  func createsMissingFile() throws {
    let directory = try Directory()
    let path = directory.file("new.crpin")
    var record = try RecordFile(path: path)
    #expect(try contents(path) == "")
    #expect(record.rewrite(["vcpus 2"]) == nil)
    #expect(try contents(path) == "vcpus 2\n")
    #expect(record.append(["smi"]) == nil)
    #expect(try contents(path) == "vcpus 2\nsmi\n")
  }

  @Test("a directory, or a file in a missing directory, cannot be a record file")
  func openErrors() throws {
    let directory = try Directory()
    #expect(throws: RecordFile.OpenError.self) { try RecordFile(path: directory.path) }
    do {
      _ = try RecordFile(path: directory.file("absent/x.crpin"))
      Issue.record("a file in a missing directory opened")
    } catch {
      #expect(error.message.contains("No such file or directory"), "\(error.message)")
    }
    #expect(try directory.names() == [])
  }

  @Test("undo's rewrite: a unique temporary file renamed over FILE; FILE.tmp is not used")
  func rewriteIsAtomic() throws {
    let directory = try Directory()
    let path = directory.file("undo.crpin")
    try Data("mine\n".utf8).write(to: URL(fileURLWithPath: path + ".tmp"))
    var record = try RecordFile(path: path)
    #expect(record.rewrite(["vcpus 2"]) == nil)
    #expect(record.append(["smi", "rsm"]) == nil)
    let before = inode(path)
    #expect(record.rewrite(["vcpus 2", "smi"]) == nil)
    #expect(try contents(path) == "vcpus 2\nsmi\n")
    #expect(inode(path) != before)
    #expect(try contents(path + ".tmp") == "mine\n", "a user's FILE.tmp is left alone")
    #expect(try directory.names() == ["undo.crpin", "undo.crpin.tmp"])
  }

  @Test("an append that fails part-way is cut back to the last whole statement, then retried whole")
  func failedAppendIsCutBack() throws {
    let directory = try Directory()
    let path = directory.file("full.crpin")
    var record = try RecordFile(path: path)
    #expect(record.rewrite(["vcpus 2"]) == nil)
    #expect(record.append(["smi"]) == nil)
    // A disk that takes five bytes, then is full.
    let realWrite = record.writeBytes
    record.writeBytes = { fd, buffer in
      guard buffer.count > 5 else {
        errno = ENOSPC
        return -1
      }
      return realWrite(fd, UnsafeRawBufferPointer(rebasing: buffer.prefix(5)))
    }
    let failure = record.append(["mov cr4, 0x260ef0"])
    let message = try #require(failure)
    #expect(message.contains("No space left on device"), "\(message)")
    #expect(message.contains("ends at the last whole statement"), "\(message)")
    #expect(try contents(path) == "vcpus 2\nsmi\n")
    #expect(record.diskState == .stale)
    // Space again: the next action writes the whole script, the failed statement included
    // (the TUI's state has it).
    record.writeBytes = realWrite
    #expect(record.append(["rsm"]) == nil)
    #expect(try contents(path) == "vcpus 2\nsmi\nmov cr4, 0x260ef0\nrsm\n")
    #expect(record.diskState == .inSync)
    #expect(try directory.names() == ["full.crpin"])
  }

  @Test("a write that makes no progress is an error, not a loop")
  func zeroWriteFails() throws {
    let directory = try Directory()
    let path = directory.file("zero.crpin")
    var record = try RecordFile(path: path)
    #expect(record.rewrite(["vcpus 2"]) == nil)
    record.writeBytes = { _, _ in 0 }
    let failure = record.append(["smi"])
    let message = try #require(failure)
    #expect(message.contains("No space left on device"), "\(message)")
    #expect(try contents(path) == "vcpus 2\n")
  }
}
