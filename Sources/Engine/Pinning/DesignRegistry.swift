/// The registry: every pinning design crpin runs, and the one place that names them all.
///
/// The design in force and its state are one value, a case of this enum. The engine reaches a
/// design only through `visit` and `read`, whose `switch` hands the payload to a visitor that is
/// generic over the design: the compiler specializes each hook for each design, so `apply` and
/// `step` never go through an existential.
///
/// Registering a design: its `case` here, its arm in `visit` and in `read`, and its entry in
/// `registered` (where it takes its place in every list of designs); the design's own file
/// wraps its payload in its case (`PinRules.wrap`).
public enum DesignState: Hashable, Sendable {
  case kvm2020(DesignPayload<KVM2020Pinning>)
  case kvmRFC2(DesignPayload<KVMRFC2Pinning>)
  case heki(DesignPayload<HekiPinning>)
  case vtl1(DesignPayload<VTL1Intercepts>)
  case xen(DesignPayload<XenVMEventMonitor>)
  case absent(DesignPayload<NoPinning>)

  /// Every design a VM can run, in the order the UI lists them (`Mechanism.allCases`).
  static let registered: [any PinRules.Type] = [
    KVM2020Pinning.self, KVMRFC2Pinning.self, HekiPinning.self, VTL1Intercepts.self,
    XenVMEventMonitor.self,
  ]

  /// Runs `visitor` on the design in force with its payload, which it may change.
  @inline(__always)
  mutating func visit<Visitor: DesignVisitor>(_ visitor: inout Visitor) -> Visitor.Result {
    // The payload is moved out while the visitor runs, so that changing it never copies it.
    switch self {
    case .kvm2020(var payload):
      self = .placeholder
      defer { self = .kvm2020(payload) }
      return visitor.visit(&payload)
    case .kvmRFC2(var payload):
      self = .placeholder
      defer { self = .kvmRFC2(payload) }
      return visitor.visit(&payload)
    case .heki(var payload):
      self = .placeholder
      defer { self = .heki(payload) }
      return visitor.visit(&payload)
    case .vtl1(var payload):
      self = .placeholder
      defer { self = .vtl1(payload) }
      return visitor.visit(&payload)
    case .xen(var payload):
      self = .placeholder
      defer { self = .xen(payload) }
      return visitor.visit(&payload)
    case .absent(var payload):
      self = .placeholder
      defer { self = .absent(payload) }
      return visitor.visit(&payload)
    }
  }

  /// Runs `reader` on the design in force with its payload, read only; a check reports into
  /// `report`.
  @inline(__always)
  func read<Reader: DesignReader, Report: WriteReport>(_ reader: inout Reader, into report: inout Report)
    -> Reader.Result
  {
    switch self {
    case .kvm2020(let payload): reader.read(payload, into: &report)
    case .kvmRFC2(let payload): reader.read(payload, into: &report)
    case .heki(let payload): reader.read(payload, into: &report)
    case .vtl1(let payload): reader.read(payload, into: &report)
    case .xen(let payload): reader.read(payload, into: &report)
    case .absent(let payload): reader.read(payload, into: &report)
    }
  }

  /// Holds the place of a payload that is moved out (no allocation: an empty array).
  private static var placeholder: DesignState {
    @inline(__always) get { .absent(DesignPayload(vm: NoState(), vcpus: [])) }
  }
}

/// Something done to the design in force and its payload, generic over the design.
protocol DesignVisitor {
  associatedtype Result
  mutating func visit<Design: PinRules>(_ payload: inout DesignPayload<Design>) -> Result
}

/// Something read of the design in force and its payload, generic over the design.
protocol DesignReader {
  associatedtype Result
  mutating func read<Design: PinRules, Report: WriteReport>(
    _ payload: DesignPayload<Design>, into report: inout Report
  ) -> Result
}
