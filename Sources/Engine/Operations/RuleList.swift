/// The rules a check found, in order: up to two held inline, more in an array. Most refused
/// writes trip one or two rules, and deciding a write should not allocate.
struct RuleList: Sequence, Sendable {
  private var first: RuleHit?
  private var second: RuleHit?
  private var more: [RuleHit] = []

  /// No rules.
  init() {}

  /// The rules of `hits`, in order.
  init(_ hits: [RuleHit]) {
    for hit in hits { append(hit) }
  }

  var isEmpty: Bool { first == nil }

  mutating func append(_ hit: RuleHit) {
    if first == nil {
      first = hit
    } else if second == nil {
      second = hit
    } else {
      more.append(hit)
    }
  }

  mutating func append(contentsOf other: RuleList) {
    for hit in other { append(hit) }
  }

  /// The rules as an array, for an outcome's explanation.
  var array: [RuleHit] { Array(self) }

  func makeIterator() -> Iterator { Iterator(list: self) }

  /// Walks the inline rules, then the rest.
  struct Iterator: IteratorProtocol {
    let list: RuleList
    var position = 0

    mutating func next() -> RuleHit? {
      defer { position += 1 }
      switch position {
      case 0: return list.first
      case 1: return list.second
      default:
        let index = position - 2
        return index < list.more.count ? list.more[index] : nil
      }
    }
  }
}
