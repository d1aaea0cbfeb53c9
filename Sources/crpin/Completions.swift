import ArgumentParser
import Engine
import Script

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the shell completions (`crpin --generate-completion-script bash|zsh|fish`) offer for
/// the arguments that name a scenario, a theme, a mechanism or a size; files complete as files.
enum Completions {
  /// The built-in scenarios' ids, written into the completion scripts.
  static let scenarios = CompletionKind.list(Scenario.all.map(\.id))

  /// A built-in scenario's id or a script (`--scenario`, `compare`, `export`): the ids that
  /// start with the word, then the directories and `.crpin` files it leads to. Computed when
  /// Tab is pressed (the shell asks crpin), so the files are those of that moment.
  static let scenarioOrScript = CompletionKind.custom { _, _, word in
    Scenario.all.map(\.id).filter { $0.hasPrefix(word) } + scriptPaths(startingWith: word)
  }

  /// The pinning mechanisms (`import trace --mechanism`, `check trace --mechanism`).
  static let mechanisms = CompletionKind.list(Mechanism.allCases.map(\.rawValue))

  /// The TUI's themes.
  static let themes = CompletionKind.list(["color", "mono", "projector"])

  /// The vCPU counts a VM may have.
  static let vcpuCounts = CompletionKind.list((1...8).map(String.init))

  /// Common recording sizes (any COLUMNSxROWS from 80x24 up is accepted).
  static let sizes = CompletionKind.list(["80x24", "100x30", "120x40", "160x50"])

  /// The directories and `.crpin` files whose paths start with `word` (hidden ones only when
  /// the word's last component starts with a dot).
  static func scriptPaths(startingWith word: String) -> [String] {
    let slash = word.lastIndex(of: "/")
    let directory = slash.map { String(word[...$0]) } ?? ""
    let namePrefix = slash.map { String(word[word.index(after: $0)...]) } ?? word
    guard let handle = opendir(directory.isEmpty ? "." : directory) else { return [] }
    defer { closedir(handle) }
    var paths: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard name != ".", name != "..", name.hasPrefix(namePrefix) else { continue }
      if name.hasPrefix("."), !namePrefix.hasPrefix(".") { continue }
      let path = directory + name
      var info = stat()
      guard stat(path, &info) == 0 else { continue }
      if info.st_mode & S_IFMT == S_IFDIR {
        paths.append(path + "/")
      } else if name.hasSuffix(".crpin") {
        paths.append(path)
      }
    }
    return paths.sorted()
  }
}
