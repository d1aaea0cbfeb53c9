/// Hexadecimal formatting as crpin prints it everywhere: `0x` and lower case.
public enum Hex {
  /// `0x1006f0`: shortest form.
  public static func short(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

  /// `0x00000000001006f0`: 16 digits, for register displays.
  public static func padded(_ value: UInt64, digits: Int = 16) -> String {
    let text = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, digits - text.count)) + text
  }
}
