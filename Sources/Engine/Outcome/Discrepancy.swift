/// Where the patch's prose and its code disagree. crpin follows the code and attaches the
/// matching note to the outcomes where it matters.
public enum Discrepancy: String, CaseIterable, Sendable {
  case d1 = "D1", d2 = "D2", d3 = "D3", d4 = "D4", d5 = "D5", d6 = "D6"

  /// What the prose says against what the code does.
  public var text: String {
    switch self {
    case .d1:
      "The commit message says SMRAM is fixed up on SMM exit so the restored CR0/CR4 carry the "
        + "pinned bits; the code makes RSM fail instead (outside L2 the VM stops). An earlier "
        + "draft did rewrite SMRAM; review asked for failing."
    case .d2:
      "The documentation calls the pinned MSRs write-only for the guest; the code lets the "
        + "guest read them."
    case .d3:
      "The commit message says entering SMM \"disables pinned bits\"; SMM entry clears CR4 "
        + "(SMEP, SMAP, UMIP go off) but keeps CR0.WP."
    case .d4:
      "KVM_FEATURE_CR_PIN is advertised, but the MSRs work whether or not the VMM exposes it."
    case .d5:
      "The patch adds KVM_FEATURE_CR_PIN to KVM's CPUID leaf but not to "
        + "Documentation/virt/kvm/cpuid.rst."
    case .d6:
      "The documentation says a failed pin check on SMM exit makes the guest exit; when the "
        + "SMI interrupted L2, the failed RSM injects #UD and the guest runs on."
    }
  }

  /// The note attached to an outcome: `D4: …`.
  public var note: String { "\(rawValue): \(text)" }
}
