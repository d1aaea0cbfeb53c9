import Engine

extension Explain {
  /// Where the February 2020 draft's own documentation disagrees with its code (kvm-rfc2).
  public static let rfc2Discrepancies: [(id: String, text: String)] = [
    (
      "R1",
      "The draft's documentation says the bits in CR0_PINNED/CR4_PINNED are pinned \"to 1\"; its "
        + "next paragraph says a CR write \"where bits differ from pinned bits\" fails, and the code "
        + "checks `(new ^ pinned) & allowed`: once anything is pinned, every allowed bit is held at "
        + "its value in the mask, so pinning SMEP alone also forbids setting SMAP or UMIP later "
        + "(crpin scenario rfc2-pin-to-value)."
    ),
    (
      "R2",
      "The draft's documentation calls the MSRs \"write-only for the guest\"; the code lets the "
        + "guest read all four (and the host too)."
    ),
  ]

  /// `crpin explain discrepancies`: D1–D6 of the June 2020 patch, then the draft's R1–R2, each
  /// with where the claim comes from.
  public static var discrepancies: String {
    var lines = [
      "Where the prose and the code disagree, crpin follows the code and says so in the notes.",
      "",
      "kvm-2020, the June 2020 patch (\(Mechanism.kvm2020.source)):",
    ]
    for discrepancy in Discrepancy.allCases {
      lines.append(contentsOf: wrapped(discrepancy.rawValue, discrepancy.text))
    }
    lines.append("")
    lines.append("kvm-rfc2, the February 2020 draft (RFC v2 2/4; \(Mechanism.kvmRFC2.source)):")
    for (id, text) in rfc2Discrepancies {
      lines.append(contentsOf: wrapped(id, text))
    }
    return lines.joined(separator: "\n")
  }

  /// `  D1  text…` wrapped at 96 columns with a hanging indent.
  private static func wrapped(_ id: String, _ text: String) -> [String] {
    var lines: [String] = []
    var current = "  " + id + "  "
    let indent = String(repeating: " ", count: current.count)
    for word in text.split(separator: " ") {
      if current.count + word.count + 1 > 96, current != indent {
        lines.append(current)
        current = indent
      }
      current += (current.hasSuffix(" ") ? "" : " ") + word
    }
    lines.append(current)
    return lines
  }
}
