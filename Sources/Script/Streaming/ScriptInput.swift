/// Where a script's bytes come from, a chunk at a time: a file or standard input (the command
/// line reads those), or text already in memory (`TextInput`).
public protocol ScriptInput {
  /// Reads the next bytes into `buffer` and returns how many; 0 at the end of the script.
  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScriptInputFailure) -> Int
}

/// A failure to read a script, already worded for the user (`PATH: error: cannot read it …`).
public struct ScriptInputFailure: Error, Equatable, Sendable {
  /// The message.
  public let message: String

  /// A failure with `message`.
  public init(message: String) { self.message = message }
}

/// A script held in memory, read in chunks like a file.
public struct TextInput: ScriptInput {
  private let bytes: [UInt8]
  private var position = 0

  /// The UTF-8 bytes of `text`.
  public init(_ text: String) { bytes = Array(text.utf8) }

  /// `bytes` as they are.
  public init(bytes: [UInt8]) { self.bytes = bytes }

  /// Copies the next bytes (as many as fit) into `buffer`.
  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    let count = min(buffer.count, bytes.count - position)
    guard count > 0 else { return 0 }
    bytes.withUnsafeBytes { source in
      buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<position + count]))
    }
    position += count
    return count
  }
}
