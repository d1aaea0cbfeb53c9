/// No hypervisor pinning: KVM without the patch (`option kvm-pin off` under a KVM design), or the
/// mechanisms `native` and `none`. Every hook keeps its default: no MSRs, no checks, no pins.
public enum NoPinning: PinRules {
  public typealias VCPUState = NoState
  public typealias VMState = NoState
  public static let name = "none"
  public static let summary = "no hypervisor pinning"
  public static let source = "—"
  static func wrap(_ payload: DesignPayload<NoPinning>) -> DesignState { .absent(payload) }
  /// No pins, no check: the masks `step` checks are empty.
  static var checksOnlyEffectivePins: Bool { true }
  static func resetNote(_ options: VMOptions) -> String { "No hypervisor pins to clear." }
}
