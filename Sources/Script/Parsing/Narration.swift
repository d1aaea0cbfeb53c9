/// `#>` narration as readers get it: the slide export and the TUI's scenario player both show
/// it as paragraphs.
package enum Narration {
  /// Narration lines joined into paragraphs; an empty `#>` line separates paragraphs.
  package static func paragraphs(_ lines: [String]) -> [String] {
    var result: [String] = []
    var current: [String] = []
    for line in lines {
      let text = line.trimmingCharacters(in: " \t")
      if text.isEmpty {
        if !current.isEmpty { result.append(current.joined(separator: " ")) }
        current = []
      } else {
        current.append(text)
      }
    }
    if !current.isEmpty { result.append(current.joined(separator: " ")) }
    return result
  }
}

extension StringProtocol {
  /// The text without leading and trailing characters from `set`.
  package func trimmingCharacters(in set: String) -> String {
    var slice = Substring(self)
    while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
    while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
    return String(slice)
  }
}
