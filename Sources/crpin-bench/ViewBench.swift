import TUI

/// `view_us_per_frame`: the full screen rendered into the cell grid.
enum ViewBench {
  static func microsecondsPerFrame(width: Int, height: Int, frames: Int) -> Double {
    let state = AppState(size: TerminalSize(width: width, height: height))
    var cells = 0
    let elapsed = measure {
      for _ in 0..<frames { cells &+= view(state, width: width, height: height).cells.count }
    }
    blackHole(cells)
    return Double(elapsed) / Double(frames) / 1000
  }
}
