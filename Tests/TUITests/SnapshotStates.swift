import Engine
import Script
import TUI

/// The states the golden snapshots draw.
enum SnapshotStates {
  static var booted: Driver { Driver() }

  static var smm: Driver {
    var d = Driver()
    d.press(.character("s"))
    return d
  }

  static var l2: Driver {
    var d = Driver()
    d.press(.character("v"))
    d.command("mov cr4, cr4 & ~SMEP")
    return d
  }

  static var stopped: Driver {
    var d = Driver()
    d.press(.character("s"))
    d.command("smram cr4, cr4 & ~SMEP")
    d.press(.character("s"))
    return d
  }

  static var help: Driver {
    var d = Driver()
    d.press(.character("?"))
    return d
  }

  static var promptError: Driver {
    var d = Driver()
    d.type(":mov cr5, 1")
    d.press(.enter)
    return d
  }

  static var scenario: Driver {
    var d = Driver()
    d.effects += d.state.startScenario(id: "smm-tamper") ?? []
    d.press(.character("n"))
    return d
  }
}
