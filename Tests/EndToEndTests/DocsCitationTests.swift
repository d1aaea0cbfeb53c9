import Foundation
import Testing

/// Every Markdown file the code, the README and the docs cite is in the repository: a
/// `docs/…` path from the package root, or a bare name beside the citing file or in `docs/`.
@Suite("docs citations")
struct DocsCitationTests {
  /// Names that appear only as example output files in command lines (`-o smep.md`).
  static let examples: Set<String> = ["FILE.md", "smep.md"]

  /// Every `(citing file, cited path)` in Sources/, README.md and docs/.
  static func citations() throws -> [(file: String, path: String)] {
    let root = CrpinBinary.packageRoot
    var files = ["README.md"]
    for directory in ["Sources", "docs"] {
      let enumerator = FileManager.default.enumerator(atPath: root.appendingPathComponent(directory).path)
      while let path = enumerator?.nextObject() as? String {
        if path.hasSuffix(".swift") || path.hasSuffix(".md") || path.hasSuffix(".c") || path.hasSuffix(".h") {
          files.append(directory + "/" + path)
        }
      }
    }
    var citations: [(file: String, path: String)] = []
    for file in files {
      let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
      for match in text.matches(of: #/[A-Za-z0-9_./-]*[A-Za-z0-9_]\.md\b/#) {
        let path = String(match.output)
        if !examples.contains(path), !path.hasPrefix("http") { citations.append((file, path)) }
      }
    }
    return citations
  }

  @Test("every cited .md file exists")
  func citedFilesExist() throws {
    let root = CrpinBinary.packageRoot
    let citations = try Self.citations()
    #expect(citations.contains { $0.path == "docs/mechanisms.md" }, "the README cites docs/mechanisms.md")
    for (file, path) in citations {
      let beside = URL(fileURLWithPath: file, relativeTo: root).deletingLastPathComponent()
        .appendingPathComponent(path)
      let candidates = [
        root.appendingPathComponent(path), beside, root.appendingPathComponent("docs/" + path),
      ]
      #expect(
        candidates.contains { FileManager.default.fileExists(atPath: $0.path) },
        "\(file) cites \(path), which is not in the repository")
    }
  }

  @Test("the citation finder sees a missing file")
  func finderSeesMissing() {
    let text = "facts: `mechanisms.md`, see docs/nowhere.md; slides -o smep.md"
    let found = text.matches(of: #/[A-Za-z0-9_./-]*[A-Za-z0-9_]\.md\b/#).map { String($0.output) }
    #expect(found == ["mechanisms.md", "docs/nowhere.md", "smep.md"])
    #expect(
      !FileManager.default.fileExists(
        atPath: CrpinBinary.packageRoot.appendingPathComponent("docs/nowhere.md").path))
  }
}
