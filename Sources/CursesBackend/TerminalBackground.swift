import TUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `--background`: which variant of the colour and projector themes to use.
public enum BackgroundPreference: String, CaseIterable, Sendable {
  /// Find out: `COLORFGBG`, else the terminal's answer to an OSC 11 query, else dark.
  case auto
  /// The light variant.
  case light
  /// The dark variant.
  case dark
}

/// The background to draw for: the preference when it is not `auto`; otherwise what
/// `COLORFGBG` says, else what `query` (the terminal's answer, asked only when needed) says,
/// else dark — the common default of terminals, and the one the Linux console has.
func resolveBackground(
  _ preference: BackgroundPreference, colorfgbg: String?, query: () -> Background?
) -> Background {
  switch preference {
  case .light: return .light
  case .dark: return .dark
  case .auto: return colorfgbg.flatMap(background(fromCOLORFGBG:)) ?? query() ?? .dark
  }
}

/// The background `COLORFGBG` describes (rxvt, Konsole and others set it): `"fg;bg"` or
/// `"fg;default;bg"` with colour numbers of the 16-colour palette, where 7 (white) and 9-15
/// (the bright colours but bright black) are light, 0-6 and 8 dark; nil when the last field is
/// not such a number (`default`, garbage).
func background(fromCOLORFGBG value: String) -> Background? {
  guard let last = value.split(separator: ";", omittingEmptySubsequences: false).last,
    let number = Int(last.trimmingSpaces()), (0...15).contains(number)
  else { return nil }
  return number == 7 || number >= 9 ? .light : .dark
}

/// The background an OSC 11 reply reports (`ESC ] 11 ; rgb:RRRR/GGGG/BBBB` ended by BEL or
/// ST, each component one to four hex digits), anywhere in `bytes`; nil without a reply.
///
/// The colour counts as light when black text would have more contrast on it than white text
/// (relative luminance above about 0.18).
func background(fromOSC11Reply bytes: [UInt8]) -> Background? {
  let prefix = Array("\u{1B}]11;rgb:".utf8)
  guard bytes.count >= prefix.count,
    let start = (0...(bytes.count - prefix.count)).first(where: {
      Array(bytes[$0..<($0 + prefix.count)]) == prefix
    })
  else { return nil }
  var components: [Double] = []
  var digits: [UInt8] = []
  func finishComponent() -> Bool {
    guard (1...4).contains(digits.count), let value = Int(String(decoding: digits, as: UTF8.self), radix: 16)
    else { return false }
    components.append(Double(value) / Double((1 << (4 * digits.count)) - 1))
    digits = []
    return true
  }
  for byte in bytes[(start + prefix.count)...] {
    if byte == UInt8(ascii: "/") {
      guard finishComponent() else { return nil }
    } else if UnicodeScalar(byte).properties.isASCIIHexDigit {
      digits.append(byte)
    } else {
      break
    }
  }
  guard finishComponent(), components.count == 3 else { return nil }
  func linear(_ c: Double) -> Double { c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
  let luminance =
    0.2126 * linear(components[0]) + 0.7152 * linear(components[1]) + 0.0722 * linear(components[2])
  // Contrast with black, (L + 0.05) / 0.05, beats contrast with white, 1.05 / (L + 0.05).
  return (luminance + 0.05) * (luminance + 0.05) > 0.0525 ? .light : .dark
}

extension Substring {
  fileprivate func trimmingSpaces() -> Substring {
    var text = self
    while text.first == " " { text = text.dropFirst() }
    while text.last == " " { text = text.dropLast() }
    return text
  }
}
