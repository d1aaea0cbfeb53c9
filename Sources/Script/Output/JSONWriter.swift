/// A tiny JSON writer: objects keep their keys in insertion order, strings are escaped per
/// RFC 8259, and DEL and the C1 controls as `\u007f`–`\u009f` too, so that printed JSON
/// cannot drive a terminal (issue 19).
enum JSONValue {
  case string(String)
  case number(Int)
  case bool(Bool)
  case array([JSONValue])
  case object([(String, JSONValue)])
  case null

  /// The value as compact JSON text, on one line.
  var text: String {
    var out = ""
    write(to: &out)
    return out
  }

  private func write(to out: inout String) {
    switch self {
    case .string(let string): Self.writeString(string, to: &out)
    case .number(let number): out += String(number)
    case .bool(let bool): out += bool ? "true" : "false"
    case .null: out += "null"
    case .array(let values):
      out += "["
      for (index, value) in values.enumerated() {
        if index > 0 { out += "," }
        value.write(to: &out)
      }
      out += "]"
    case .object(let members):
      out += "{"
      for (index, (key, value)) in members.enumerated() {
        if index > 0 { out += "," }
        Self.writeString(key, to: &out)
        out += ":"
        value.write(to: &out)
      }
      out += "}"
    }
  }

  static func writeString(_ string: String, to out: inout String) {
    out += "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      default:
        if TerminalSafe.isControl(scalar) {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}

/// JSON string quoting (RFC 8259), shared by the traces and the asciicast export.
public enum JSONText {
  /// `string` as a quoted JSON string; control characters escaped.
  public static func quoted(_ string: String) -> String {
    var out = ""
    JSONValue.writeString(string, to: &out)
    return out
  }
}
