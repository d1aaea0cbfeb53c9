import Engine

/// "Did you mean …?" for unknown names: the closest candidate by edit distance.
enum Suggestions {
  /// The candidate closest to `word` (case-insensitively), if it is close enough to be a typo.
  static func closest(to word: String, among candidates: [String]) -> String? {
    let target = Array(word.lowercased().unicodeScalars)
    guard !target.isEmpty, target.count <= 64 else { return nil }
    let limit = max(1, min(3, target.count / 3))
    let sortedTarget = target.map(\.value).sorted()
    var best: (name: String, score: Int)?
    for candidate in candidates {
      let scalars = Array(candidate.lowercased().unicodeScalars)
      let distance = editDistance(target, scalars)
      guard distance <= limit else { continue }
      // Ties go to candidates with the same letters (a transposition beats a substitution).
      let score = distance * 2 + (scalars.map(\.value).sorted() == sortedTarget ? 0 : 1)
      if score < (best?.score ?? Int.max) { best = (candidate, score) }
    }
    return best?.name
  }

  /// `unknown X 'word'` plus `; did you mean 'Y'?` when a candidate is close.
  static func message(_ what: String, _ token: Token, among candidates: [String], hint: String? = nil)
    -> String
  {
    var message = "unknown \(what) \(token.quoted)"
    if let suggestion = closest(to: token.text, among: candidates) {
      message += "; did you mean '\(suggestion)'?"
    } else if let hint {
      message += " (\(hint))"
    }
    return message
  }

  /// Optimal string alignment distance: insertions, deletions, substitutions, transpositions.
  static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous2 = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          current[j] = min(current[j], previous2[j - 2] + 1)
        }
      }
      previous2 = previous
      previous = current
    }
    return previous[b.count]
  }

  /// Every statement keyword, from the statement table.
  static var keywords: [String] { StatementKind.keywords }

  /// Every name an expression may use.
  static var expressionNames: [String] {
    RegisterName.allCases.map(\.rawValue) + PinField.allCases.map(\.qualifiedName)
      + RegisterName.allCases.map { "smram." + $0.rawValue }
      + (BitCatalog.cr0 + BitCatalog.cr4).map(\.mnemonic) + BitCatalog.allQualifiedNames
  }

  /// Every MSR name crpin knows, short and full.
  static var msrNames: [String] { MSRReference.knownNames }
}
