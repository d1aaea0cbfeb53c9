import Engine
import Testing

@testable import Script

/// The JSON trace's versions (issue 16): every record carries the guest kernel's and host KVM's
/// versions in force after its statement.
@Suite("traces: versions")
struct TraceVersionsTests {
  @Test(
    "each JSON record says the VM's kernel and kvm, defaults included",
    arguments: [
      (LinuxVersion(5, 8), LinuxVersion(5, 8)), (LinuxVersion(5, 9), LinuxVersion(6, 4)),
      (LinuxVersion(6, 19), LinuxVersion(6, 18)),
    ])
  func jsonVersions(kernel: LinuxVersion, kvm: LinuxVersion) throws {
    var options = VMOptions()
    options.kernel = kernel
    options.kvm = kvm
    var session = Session(vm: VirtualMachine(bootedWith: 1, options: options))
    for (offset, line) in ["stac", "kernel write cr4, cr4 & ~SMEP", "host wrmsr CR4_PINNED_HIGH, 0"]
      .enumerated()
    {
      let record = try #require(try session.run(line: line, lineNumber: offset + 1))
      let json = try #require(JSONLinesTrace.render(record, session: session))
      #expect(json.contains(#","eflags_ac":"#))
      #expect(json.contains(#","kernel":"\#(kernel)","kvm":"\#(kvm)","pins":"#), "\(json)")
    }
  }
}
