import Engine

/// The pin state of the design in force on the vCPU on screen — kvm-2020's six MSRs or
/// kvm-rfc2's four (as the VMM would read them), Heki's per-VM locks, VTL1's intercept masks
/// and policy, or native pinning's captured bits — then EFER and CR3.
enum MSRPanel {
  /// Columns the panel needs.
  static let width = 44

  static func draw(_ state: AppState, into screen: inout Screen, rect: Rect) {
    let vm = state.vm
    let design = vm.options.pinning
    screen.box(
      rect, title: [Run(title(vm), .title), Run(" vCPU \(state.vcpu)", .dim)])
    let inner = rect.inner
    var row = inner.row
    let registers = state.currentVCPU.registers
    var lines = rows(state, design: design)
    lines += [
      [Run(" EFER ", .dim), Run(Hex.padded(registers.efer))],
      [Run(" CR3  ", .dim), Run(Hex.padded(registers.cr3))],
    ]
    for line in lines where row <= inner.bottom {
      screen.put(runs: line, row: row, column: inner.column, limit: inner.right)
      row += 1
    }
  }

  /// The panel's title: what holds the pins under the design in force.
  private static func title(_ vm: VirtualMachine) -> String {
    switch vm.options.pinning {
    case .kvm2020, .kvmRFC2: "\(vm.options.mechanism.rawValue) MSRs"
    case .heki: "Heki locks (per VM)"
    case .vtl1: "VTL1 intercepts"
    case .absent: "No hypervisor pins"
    }
  }

  private static func rows(_ state: AppState, design: PinningDesign) -> [[Run]] {
    let vm = state.vm
    let index = state.vcpu
    func value(_ value: UInt64, highlight: Bool) -> Run {
      Run(Hex.padded(value, digits: 8), highlight && value != 0 ? .pinned : .normal)
    }
    switch design {
    case .kvm2020, .kvmRFC2:
      return MSRCatalog.pinMSRs(of: design).map { info in
        let read = vm.hostRead(msr: info.number, on: index)
        return [
          Run(" " + Hex.short(UInt64(info.number)) + " ", .dim), Run(info.shortName.padded(to: 16)),
          read.map { value($0, highlight: !info.shortName.hasSuffix("_ALLOWED")) } ?? Run("unknown", .dim),
        ]
      }
    case .heki:
      return [
        [Run(" hypercall lock_cr: OR-only, never cleared", .dim)],
        [Run(" CR0 locked    ", .dim), value(vm.hekiLocks.cr0, highlight: true)],
        [Run(" CR4 locked    ", .dim), value(vm.hekiLocks.cr4, highlight: true)],
        [Run(" host CR0      ", .dim), value(vm.options.hostCR0, highlight: false)],
        [Run(" host CR4      ", .dim), value(vm.options.hostCR4, highlight: false)],
      ]
    case .vtl1:
      let intercept = state.currentVCPU.vtl1Intercept
      let policy = vm.vtl1Policy
      return [
        [Run(" CR0 intercept ", .dim), value(intercept.cr0, highlight: true)],
        [Run(" CR4 intercept ", .dim), value(intercept.cr4, highlight: true)],
        [
          Run(" policy        ", .dim), Run(policy.rawValue, .normal),
          Run(policy == .drop ? " (LVBS: skip, no fault)" : " (a what-if)", .dim),
        ],
      ]
    case .absent:
      let native = vm.nativePinningActive
      return [
        [Run(" native pinning ", .dim), Run(native ? "on" : "off", native ? .pinned : .normal)],
        [
          Run(" captured CR4  ", .dim),
          vm.nativePinnedCR4.map { value($0, highlight: native) } ?? Run("none (no kernel)", .dim),
        ],
        [Run(" a raw mov crN is not checked", .dim)],
      ]
    }
  }
}
