import Engine

/// Where each bit of CR0 and CR4 sits in the register panel, SDM style: high bit on the left,
/// three columns per bit; CR0's long runs of reserved bits collapse into one wider cell.
///
/// Columns are relative to the panel's content origin (just inside its left border). In each
/// cell the bit number ends at `start + 2`, the value sits at `start + 2` and the cursor
/// brackets at `start + 1` and `start + 3`.
enum BitColumns {
  /// One cell of a register row.
  enum Item: Equatable {
    /// A single bit.
    case bit(Int)
    /// A run of reserved bits shown as one cell, high bit first.
    case gap(high: Int, low: Int)
  }

  /// Columns of a single-bit cell.
  static let cellWidth = 3
  /// Columns of a collapsed run of reserved bits.
  static let gapWidth = 6
  /// Panel width from which the wide layout is used: each bit as wide as its full name, all of
  /// CR4's names on one row.
  static let wideFrom = 160

  /// The cells of `register` with their start columns. In the `wide` layout each bit's cell is
  /// as wide as its full name (three columns at least) plus a space, and `start` is placed so
  /// that the name, centred on the value (`start + 2`), begins at the cell's first column.
  static func layout(_ register: PinnableRegister, wide: Bool = false) -> [(item: Item, start: Int)] {
    let items: [Item]
    switch register {
    case .cr0:
      items =
        [
          .bit(31), .bit(30), .bit(29), .gap(high: 28, low: 19), .bit(18), .bit(17), .bit(16),
          .gap(high: 15, low: 6),
        ] + (0...5).reversed().map { .bit($0) }
    case .cr4:
      items = (0...24).reversed().map { .bit($0) }
    }
    // The narrow layout's cells start at 0; the wide one's first cell at 1, so no start is
    // negative.
    var cell = wide ? 1 : 0
    return items.map { item in
      switch item {
      case .bit(let index) where wide:
        let width = max(cellWidth, BitCatalog.bit(register, index: index)?.mnemonic.columns ?? 1)
        defer { cell += width + 1 }
        return (item, cell + width / 2 - 2)
      case .gap where wide:
        defer { cell += gapWidth }
        return (item, cell - 1)
      case .bit:
        defer { cell += cellWidth }
        return (item, cell)
      case .gap:
        defer { cell += gapWidth }
        return (item, cell)
      }
    }
  }

  /// The column of a bit's value, relative to the content origin.
  static func valueColumn(_ register: PinnableRegister, index: Int) -> Int? {
    for (item, start) in layout(register) where item == .bit(index) { return start + 2 }
    return nil
  }

  /// The column of the cursor bit's value (for moving between registers).
  static func valueColumn(of cursor: BitCursor) -> Int? {
    valueColumn(cursor.register, index: cursor.index)
  }

  /// The short label of a bit: at most five columns (the CR4 labels alternate between two
  /// rows, so a label may spill into its neighbours' columns).
  static func label(_ bit: BitInfo) -> String {
    switch bit.mnemonic {
    case "OSFXSR": "OSFXS"
    case "OSXMMEXCPT": "OSXMM"
    case "FSGSBASE": "FSGSB"
    case "OSXSAVE": "OSXSV"
    default: bit.mnemonic
    }
  }

  /// The column where a label of `text` starts so that it sits over the value at `valueColumn`.
  static func labelStart(_ text: String, valueColumn: Int) -> Int {
    valueColumn - text.columns / 2
  }
}
