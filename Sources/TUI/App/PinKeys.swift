import Engine

/// The pin keys (H L + - = m): what each means under a design is its presentation companion's
/// (`DesignPresentation.action`) — the seed patch's six MSRs, the 2020 draft's pin-to-value
/// MSRs, Heki's lock hypercall, VTL1's intercept masks — or why the key does nothing there.
enum PinKey: Equatable, Sendable {
  case guestPin(high: Bool)
  case hostPin(high: Bool)
  case hostUnpin
  case guestRead

  /// The action the key takes on `vcpu` of `vm` for the cursor bit, or what to tell the user:
  /// the design in force's presentation companion decides.
  func action(in vm: VirtualMachine, vcpu: Int, cursor: BitCursor) -> Result<Action, PinKeyRefusal> {
    Presentation.of(vm).action(for: self, in: vm, vcpu: vcpu, cursor: cursor)
  }
}

/// Why a pin key does nothing under the mechanism in force.
struct PinKeyRefusal: Error, Equatable {
  let text: String
  init(_ text: String) { self.text = text }
}
