import Engine

/// What a key asks for in the register view.
public enum KeyCommand: Equatable, Sendable {
  /// Move the cursor `step` named bits right (positive) or left.
  case move(Int)
  /// Move the cursor to the first (`true`) or last bit of its register.
  case moveToEnd(first: Bool)
  /// Move the cursor to the other register (CR0 ↔ CR4).
  case switchRegister
  /// Toggle the cursor bit with a guest `MOV to CR`.
  case toggle
  /// Toggle the cursor bit through the guest kernel's `native_write_cr0/cr4()`.
  case kernelToggle
  /// Pin the cursor bit as the guest (WRMSR): high or low.
  case guestPin(high: Bool)
  /// Pin the cursor bit as the VMM (KVM_SET_MSRS): high or low.
  case hostPin(high: Bool)
  /// Unpin the cursor bit as the VMM.
  case hostUnpin
  /// Read the cursor register's pinned-high MSR as the guest.
  case guestReadPins
  /// SMI when outside SMM, RSM inside.
  case smm
  /// VM-entry to L2 from L1, VM-exit from L2.
  case nested
  /// Reset the vCPU.
  case reset
  /// Reboot the VM (the VMM zeroes the pins).
  case reboot
  /// Run the Linux boot path on the vCPU.
  case boot
  /// Pick a pinning mechanism and re-boot the guest under it.
  case mechanismPicker
  /// Flip an option.
  case option(VMOptionName)
  /// Select the next (`1`) or previous (`-1`) vCPU.
  case cycleVCPU(Int)
  /// Select vCPU n.
  case selectVCPU(Int)
  /// Undo the last action.
  case undo
  /// Redo an undone action.
  case redo
  /// Open the `:` command line.
  case commandLine
  /// Show every key.
  case help
  /// Pick a scenario to play.
  case scenarios
  /// Run the next scenario step.
  case nextStep
  /// Go back one scenario step (replaying from the start).
  case previousStep
  /// Start or stop autoplay.
  case autoplay
  /// The compare pane: the cursor bit under every mechanism; a playing scenario's matrix.
  case compare
  /// Where the patches' prose and code disagree.
  case discrepancies
  /// The timeline of every step, to jump to one.
  case timeline
  /// Scroll the log up (positive) or down by this many lines.
  case scrollLog(Int)
  /// Quit (asking first when work would be lost).
  case quit
}
