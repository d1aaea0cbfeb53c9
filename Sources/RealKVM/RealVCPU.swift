import CKVM
import Engine
import Script

/// One VM with one vCPU on /dev/kvm that runs crpin's statements as real guest instructions
/// (the CKVM stub) or as the VMM's ioctls. Not thread-safe: one owner drives it.
///
/// `DualSession` holds one next to a model (`run --kvm`, `verify`, and `crpin tui --kvm`'s main
/// loop); `Agreement.compare` says whether they agree.
public final class RealVCPU {
  private let vm: OpaquePointer
  /// The host's KVM.
  public let host: HostIdentity
  /// Why the vCPU is stopped (a triple fault), or nil while it runs.
  public private(set) var stopReason: String?
  /// Whether a guest statement ran since the last reset (then `boot` resets first, as the
  /// model's does).
  private var ranSinceReset = true

  /// The CR3 values whose page tables the stub provides (its own, and crpin's boot path's).
  public static let pageTableRoots: [UInt64] = [0x1000, 0x2a0_a000, 0xb41_c000]

  /// Opens /dev/kvm and creates the VM; the vCPU starts in 64-bit long mode. `boot` puts it in
  /// the model's start state.
  public init() throws(RealKVMError) {
    var handle: OpaquePointer?
    var message = [CChar](repeating: 0, count: 256)
    let status = ckvm_open(&handle, &message, message.count)
    let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    guard status == CKVM_OPEN_OK, let handle else {
      switch status {
      case CKVM_OPEN_NO_DEVICE: throw .noDevice(text)
      case CKVM_OPEN_PERMISSION: throw .permission(text)
      case CKVM_OPEN_TOO_OLD: throw .tooOld(text)
      default: throw .failed(text)
      }
    }
    vm = handle
    var leaves = [ckvm_cpuid_leaf](repeating: ckvm_cpuid_leaf(), count: 128)
    let count = Int(ckvm_guest_cpuid(handle, &leaves, Int32(leaves.count)))
    host = HostIdentity(
      module: HostIdentity.loadedModule(), apiVersion: Int(ckvm_api_version(handle)),
      capabilities: HostIdentity.capabilitiesChecked.map { ($0.0, Int(ckvm_check_extension(handle, $0.1))) },
      cpuid: leaves.prefix(count).map {
        CPUIDLeaf(function: $0.function, index: $0.index, eax: $0.eax, ebx: $0.ebx, ecx: $0.ecx, edx: $0.edx)
      })
  }

  deinit { ckvm_close(vm) }

  /// CR0, CR3, CR4 and EFER now (KVM_GET_SREGS); nil if the ioctl failed.
  public var registers: Registers? {
    var state = ckvm_state()
    guard ckvm_get_state(vm, &state) == 0 else { return nil }
    return Registers(cr0: state.cr0, cr3: state.cr3, cr4: state.cr4, efer: state.efer)
  }

  private var message: String { String(cString: ckvm_message(vm)) }

  /// Runs one action, decided by the model's resolution of a statement, on the real vCPU.
  /// `pinAtBoot`: `boot` ends with the patch's guest-side pinning (when comparing with the
  /// patch's model).
  public func run(_ action: Action, pinAtBoot: Bool = false) -> RealOutcome {
    var outcome = perform(action, pinAtBoot: pinAtBoot)
    if outcome.ran, outcome.kind != .wasStopped { outcome.registers = registers }
    if action.isGuestAction, outcome.ran { ranSinceReset = true }
    return outcome
  }

  private func perform(_ action: Action, pinAtBoot: Bool) -> RealOutcome {
    switch action {
    case .mov(let register, let value):
      if let refusal = pagingRefusal(cr0: register == .cr0 ? value : nil, cr3: register == .cr3 ? value : nil)
      {
        return .notRun(refusal)
      }
      return guest { vector in
        ckvm_mov_cr(vm, register == .cr0 ? 0 : register == .cr3 ? 3 : 4, value, &vector)
      }
    case .wrmsr(let msr, let value):
      return guest { vector in ckvm_wrmsr(vm, msr, value, &vector) }
    case .rdmsr(let msr):
      var value: UInt64 = 0
      var outcome = guest { vector in ckvm_rdmsr(vm, msr, &value, &vector) }
      if outcome.kind == .ok { outcome.value = value }
      return outcome
    case .hostWrmsr(let msr, let value):
      switch ckvm_host_set_msr(vm, msr, value) {
      case 1: return RealOutcome(kind: .ok)
      case 0: return RealOutcome(kind: .refused("KVM_SET_MSRS set 0 of 1 MSRs"))
      default: return RealOutcome(kind: .refused(message))
      }
    case .hostRdmsr(let msr):
      var value: UInt64 = 0
      switch ckvm_host_get_msr(vm, msr, &value) {
      case 1: return RealOutcome(kind: .ok, value: value)
      case 0: return RealOutcome(kind: .refused("KVM_GET_MSRS read 0 of 1 MSRs"))
      default: return RealOutcome(kind: .refused(message))
      }
    case .hostSregs(let cr0, let cr3, let cr4, let efer):
      if let refusal = pagingRefusal(cr0: cr0, cr3: cr3) { return .notRun(refusal) }
      let which = (cr0 != nil ? 1 : 0) | (cr3 != nil ? 2 : 0) | (cr4 != nil ? 4 : 0) | (efer != nil ? 8 : 0)
      let result = ckvm_host_set_sregs(vm, UInt32(which), cr0 ?? 0, cr3 ?? 0, cr4 ?? 0, efer ?? 0)
      return result == 0 ? RealOutcome(kind: .ok) : RealOutcome(kind: .refused("KVM_SET_SREGS: \(message)"))
    case .reset, .reboot(keepPins: false):
      return reset()
    case .boot:
      return boot(pinning: pinAtBoot)
    default:
      return .notRun(Self.reasonNotRun(action, host: host))
    }
  }

  /// INIT: the vCPU's registers back to their values at reset (real mode, CR0 0x60000010) with
  /// KVM_SET_SREGS.
  private func reset() -> RealOutcome {
    guard ckvm_enter_mode(vm, 0) == 0 else { return RealOutcome(kind: .vcpuStopped(message)) }
    stopReason = nil
    ranSinceReset = false
    return RealOutcome(kind: .ok)
  }

  /// `boot`: reset first if the vCPU ran since its last reset, then crpin's boot path as real
  /// guest instructions from real mode to 64-bit long mode (far jumps into 32-bit and 64-bit
  /// code after the mode switches, as Linux's), stopping at the first step that does not
  /// retire; with `pinning`, the patch's guest-side pinning at the end.
  private func boot(pinning: Bool) -> RealOutcome {
    if ranSinceReset || stopReason != nil {
      let outcome = reset()
      guard outcome.kind == .ok else { return outcome }
    }
    let steps = VirtualMachine.bootPathActions(cpu: host.cpuModel)
    var outcome = RealOutcome(kind: .ok)
    for (number, step) in steps.enumerated() {
      outcome = perform(step, pinAtBoot: false)
      ranSinceReset = true
      guard outcome.kind == .ok else {
        outcome.note =
          "boot step \(number + 1), \(StatementText.of(step, under: .kvm2020)): \(outcome.display)"
        return outcome
      }
    }
    guard pinning, let booted = registers else { return outcome }
    for (allowed, pinned, value) in [
      (MSRNumber.cr0PinAllowed, MSRNumber.cr0PinnedHigh, booted.cr0),
      (MSRNumber.cr4PinAllowed, MSRNumber.cr4PinnedHigh, booted.cr4),
    ] {
      var read = perform(.rdmsr(allowed), pinAtBoot: false)
      guard read.kind == .ok, let mask = read.value else {
        read.note = "boot: \(StatementText.of(.rdmsr(allowed), under: .kvm2020)): \(read.display)"
        return read
      }
      outcome = perform(.wrmsr(pinned, value & mask), pinAtBoot: false)
      guard outcome.kind == .ok else { return outcome }
    }
    return outcome
  }

  /// Runs one guest statement: first the far jump a mode switch needs, then the statement.
  private func guest(_ body: (inout Int32) -> ckvm_run_status) -> RealOutcome {
    if let stopReason { return RealOutcome(kind: .wasStopped, note: stopReason) }
    var vector: Int32 = 0
    var status = ckvm_settle_mode(vm, &vector)
    if status == CKVM_RUN_OK { status = body(&vector) }
    switch status {
    case CKVM_RUN_OK: return RealOutcome(kind: .ok)
    case CKVM_RUN_FAULT: return RealOutcome(kind: .fault(vector: Int(vector)))
    case CKVM_RUN_UNENCODABLE: return .notRun(message)
    default:
      stopReason = message
      return RealOutcome(kind: .vcpuStopped(message))
    }
  }

  /// Why a write of CR0 and/or CR3 would leave the stub with paging on and no page tables
  /// (then the statement is not run), or nil.
  private func pagingRefusal(cr0: UInt64?, cr3: UInt64?) -> String? {
    guard let now = registers else { return nil }
    let paging = (cr0 ?? now.cr0) & CR0.pg != 0
    let root = cr3 ?? now.cr3
    let reserved = host.cpuModel.reservedCR3InLongMode
    guard paging, root & reserved == 0, root >> 32 == 0 || now.efer & EFERBits.lma != 0 else { return nil }
    let address = root & ~0xfff & ~reserved
    guard !Self.pageTableRoots.contains(address) else { return nil }
    return "paging on with a CR3 that has no page tables here (the stub has them at 0x1000, "
      + "0x2a0a000 and 0xb41c000)"
  }

  /// Why this backend does not run `action`.
  static func reasonNotRun(_ action: Action, host: HostIdentity) -> String {
    switch action {
    case .smi, .rsm, .smram:
      host.hasSMM
        ? "SMM is not driven by this backend yet (KVM_SMI and an SMM handler)"
        : "this KVM has no SMM (KVM_CAP_X86_SMM is 0)"
    case .vmcs12, .vmentry, .vmexit: "nested virtualization needs an L1 hypervisor in the guest"
    case .kernelWrite: "`kernel write` is the guest kernel's native pinning layer, not an instruction"
    case .kexec: "kexec is a guest kernel's path, not one instruction"
    case .execUser, .accessUser, .stac, .clac: "ret2usr needs a user page and a kernel in the guest"
    case .hypercallLockCR, .vtl1Intercept, .vtl1Policy: "another pinning mechanism: not in this KVM"
    case .option, .mechanism, .hostCR: "a model option: the real KVM has no such switch"
    case .kernelVersion, .kvmVersion: "a version of the model: this machine runs its own KVM and guest code"
    case .hostCPUID: "KVM_SET_CPUID2 on a vCPU that has run is not driven by this backend"
    case .migrate: "migration needs a second host"
    case .reboot(keepPins: true): "the VMM restoring stale pin MSRs: this KVM has no pin MSRs"
    default: "this backend does not run it"
    }
  }
}

extension RealOutcome {
  /// An outcome with no value, registers or note yet.
  init(kind: Kind, value: UInt64? = nil, note: String? = nil) {
    self.init(kind: kind, value: value, registers: nil, note: note)
  }
}
