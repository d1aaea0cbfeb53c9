import Engine
import Script
import Testing

@testable import TUI

/// Where the TUI shows the guest kernel's and the host KVM's versions: the mode line and the
/// detail pane (issue 16). The versions are set by booting the model with `VMOptions`.
@Suite("versions in the TUI")
struct VersionViewTests {
  /// A driver whose model is booted (two vCPUs, as the TUI starts) with these versions and
  /// mechanism, the cursor on `register`'s bit `index`.
  private func driver(
    kernel: LinuxVersion = .seedBase, kvm: LinuxVersion = .seedBase, mechanism: Mechanism = .kvm2020,
    cursor register: PinnableRegister = .cr4, _ index: Int = 20
  ) -> Driver {
    var options = VMOptions()
    options.mechanism = mechanism
    options.kernel = kernel
    options.kvm = kvm
    var d = Driver()
    d.state.vm = VirtualMachine(bootedWith: 2, options: options)
    d.state.cursor = BitCursor(register, index)
    return d
  }

  /// The detail pane's text, paragraph by paragraph.
  private func detail(_ d: Driver) -> [String] {
    guard let bit = d.state.cursor.bit else { return [] }
    return DetailPane.paragraphs(d.state, bit: bit, width: 60).map { $0.runs.map(\.text).joined() }
  }

  @Test("the mode line says kernel 5.8 · kvm 5.8 where it fits at the defaults, at 80 and 170 columns")
  func modeLineDefaults() {
    let d = Driver()
    for width in [80, 170] {
      let line = d.screen(width, 40).line(0)
      #expect(line.contains("kernel 5.8 · kvm 5.8"), "\(width): \(line)")
      #expect(!line.contains("rebased"))
      #expect(line.contains("? help"), "the versions never push out the help")
    }
    // At 100 columns the long form fills the line: the default versions give way to it.
    #expect(d.screen(100, 30).line(0).contains("mech:kvm-2020"))
  }

  @Test(
    "chosen versions always show; the patch's designs on a KVM other than 5.8 say rebased",
    arguments: [80, 100, 170])
  func modeLineChosen(width: Int) {
    let line = driver(kernel: LinuxVersion(5, 9), kvm: LinuxVersion(6, 4)).screen(width, 40).line(0)
    #expect(line.contains("kernel 5.9"), "\(line)")
    #expect(
      line.contains("kvm 6.4 (patch rebased)") || (width < 100 && line.contains("kvm 6.4 rebased")), "\(line)"
    )
  }

  @Test("rebased only under kvm-2020 and kvm-rfc2, and only off 5.8", arguments: Mechanism.allCases)
  func rebased(mechanism: Mechanism) {
    let line = driver(kvm: LinuxVersion(6, 4), mechanism: mechanism).screen(170, 40).line(0)
    #expect(line.contains("kvm 6.4"))
    #expect(line.contains("(patch rebased)") == (mechanism == .kvm2020 || mechanism == .kvmRFC2), "\(line)")
    #expect(!driver(mechanism: mechanism).screen(170, 40).line(0).contains("rebased"))
  }

  @Test("a playing scenario keeps its step on the 80-column line beside chosen versions")
  func modeLineCrowded() {
    var d = driver(kvm: LinuxVersion(6, 4))
    d.effects += d.state.startScenario(id: "smm-tamper") ?? []
    d.state.vm = driver(kvm: LinuxVersion(6, 4)).state.vm
    let line = d.screen(80, 24).line(0)
    #expect(line.contains("kvm 6.4"), "\(line)")
    #expect(line.contains("smm-tamper"), "\(line)")
  }

  @Test("the detail pane at the defaults reads as before: no version facts")
  func detailDefaults() {
    let text = detail(driver()).joined(separator: "\n")
    #expect(!text.contains("KVM 5.8: known"))
    #expect(!text.contains("guest-owned"))
  }

  @Test("CR0.WP on KVM 6.4: guest-owned on VMX, so a pin on it is not enforced, with its source")
  func wpGuestOwned() {
    let text = detail(driver(kvm: LinuxVersion(6, 4), cursor: .cr0, 16)).joined(separator: "\n")
    #expect(text.contains("[KVM 6.4: guest-owned]"))
    #expect(text.contains("not enforced"))
    #expect(text.contains("fb509f76acc8"))
    #expect(text.contains("[Linux 5.8: native pin 1]"))
    // On 5.10 WP still exits: not guest-owned.
    let older = detail(driver(kvm: LinuxVersion(5, 10), cursor: .cr0, 16)).joined(separator: "\n")
    #expect(!older.contains("guest-owned"))
    // Under vtl1 Hyper-V sees the writes: KVM's guest-owned bits do not apply.
    let vtl1 = detail(driver(kvm: LinuxVersion(6, 4), mechanism: .vtl1, cursor: .cr0, 16))
    #expect(!vtl1.joined().contains("guest-owned"))
  }

  @Test("a hypervisor pin on WP reads as not enforced on KVM 6.4, enforced on 5.10")
  func pinNotEnforced() {
    let on64 = detail(driver(kvm: LinuxVersion(6, 4), cursor: .cr0, 16))
    #expect(on64.contains { $0.contains("pinned HIGH ▲  not enforced: guest-owned on KVM 6.4") })
    let on510 = detail(driver(kvm: LinuxVersion(5, 10), cursor: .cr0, 16))
    #expect(on510.contains { $0.contains("pinned HIGH ▲") })
    #expect(!on510.contains { $0.contains("not enforced") })
  }

  @Test("FSGSBASE: pinned natively to 0 by a 5.8 boot, not pinned by 5.3, guest-owned from KVM 5.10")
  func fsgsbase() {
    let on510 = detail(driver(kvm: LinuxVersion(5, 10), cursor: .cr4, 16)).joined(separator: "\n")
    #expect(on510.contains("[Linux 5.8: native pin 0]"))
    #expect(on510.contains("a13b9d0b9721"))
    #expect(on510.contains("[KVM 5.10: guest-owned]"))
    let linux53 = detail(driver(kernel: LinuxVersion(5, 3), cursor: .cr4, 16)).joined(separator: "\n")
    #expect(linux53.contains("[Linux 5.3: not pinned]"))
    #expect(!linux53.contains("guest-owned"))
  }

  @Test("CET: unknown to KVM 5.8 in the status line, known to 6.18, reserved badge by version")
  func cetKnown() {
    let old = detail(driver(kernel: LinuxVersion(5, 9), cursor: .cr4, 23))
    #expect(old.contains { $0.hasPrefix("unknown to KVM 5.8") })
    #expect(old.joined().contains("[KVM 5.8: reserved]"))
    let new = detail(driver(kvm: LinuxVersion(6, 18), cursor: .cr4, 23))
    #expect(!new.contains { $0.hasPrefix("unknown to KVM") })
    #expect(new.joined().contains("[KVM 6.18: known]"))
    #expect(new.joined().contains("[KVM 6.18: guest-owned]"))
  }

  @Test("the detail pane and mode line fit 80 columns with chosen versions")
  func fits80() {
    let screen = driver(kernel: LinuxVersion(6, 9), kvm: LinuxVersion(6, 18), cursor: .cr0, 16).screen(80, 24)
    #expect(screen.line(0).contains("kernel 6.9 · kvm 6.18"), "\(screen.line(0))")
    #expect(screen.text.contains("[KVM 6.18: known]"), "the facts come before the preview:\n\(screen.text)")
  }
}
