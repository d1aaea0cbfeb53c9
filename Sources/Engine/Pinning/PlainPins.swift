/// The CR4 pins of each vCPU (at most `VirtualMachine.maxVCPUs`), for a design whose check of a
/// guest MOV is only the patch's mask check of its effective pins outside SMM and L2.
@usableFromInline
struct PlainPins: Sendable {
  /// CR4 bits pinned to 1, per vCPU.
  @usableFromInline var high: InlineArray<8, UInt64>
  /// CR4 bits pinned to 0, per vCPU.
  @usableFromInline var low: InlineArray<8, UInt64>

  /// No pins on any vCPU.
  init() {
    high = InlineArray(repeating: 0)
    low = InlineArray(repeating: 0)
  }

  /// Reads the effective pins of every vCPU, for a design that `checksOnlyEffectivePins`.
  struct Collect: DesignReader {
    @inline(__always)
    func read<Design: PinRules, Report: WriteReport>(
      _ payload: DesignPayload<Design>, into report: inout Report
    ) -> PlainPins? {
      guard Design.checksOnlyEffectivePins, payload.vcpus.count <= VirtualMachine.maxVCPUs else {
        return nil
      }
      var pins = PlainPins()
      for index in payload.vcpus.indices {
        let masks = Design.effectivePins(payload, on: index)
        pins.high[index] = masks.cr4High
        pins.low[index] = masks.cr4Low
      }
      return pins
    }
  }
}
