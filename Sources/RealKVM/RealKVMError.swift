/// Why the real-KVM backend cannot run: each a one-line message naming the cause.
public enum RealKVMError: Error, Equatable, Sendable {
  /// `/dev/kvm` does not exist.
  case noDevice(String)
  /// `/dev/kvm` exists but this user cannot open it read-write.
  case permission(String)
  /// The KVM API version is not 12, or a capability the backend needs is missing.
  case tooOld(String)
  /// Creating the VM, its memory or its vCPU failed.
  case failed(String)

  /// `crpin: error: …`'s text.
  public var message: String {
    switch self {
    case .noDevice(let detail):
      "no KVM on this machine (\(detail)): --kvm and verify need /dev/kvm (load kvm_intel or kvm_amd)"
    case .permission(let detail):
      "cannot use /dev/kvm (\(detail)): run as root or join the group that owns /dev/kvm"
    case .tooOld(let detail): "this KVM is too old for crpin's real-KVM backend: \(detail)"
    case .failed(let detail): "cannot run a VM on KVM: \(detail)"
    }
  }
}
