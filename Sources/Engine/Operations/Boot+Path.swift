extension VirtualMachine {
  /// The guest instructions of `boot`'s path from reset to a booted 64-bit kernel on `cpu`, in
  /// order (without the pinning at the end): what a real vCPU executes to follow the model.
  public static func bootPathActions(cpu: CPUModel) -> [Action] {
    (earlyBoot + kernelStartup(cpu: cpu)).map(\.action)
  }
}
