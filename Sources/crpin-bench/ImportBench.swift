import Foundation
import Script

/// `crpin-bench --import [--write-trace PATH]`: how long `crpin import trace` takes to read and
/// convert a generated raw-ftrace trace of 100,000 KVM events (issue 17 budgets under a second).
/// Separate from the default figures, which `BenchSmokeTests` holds to issue 5's set.
enum ImportBench {
  /// A raw ftrace trace of `count` KVM events on 4 vCPUs (threads): each vCPU's guest goes
  /// through the exit / write / entry of CR0, CR4 and EFER writes, a #GP now and then, and
  /// unused events between (`kvm_cpuid`, `kvm_mmu_*`), as a long `trace-cmd record -e kvm` would.
  static func trace(events count: Int) -> String {
    var text = "# tracer: nop\n#\n"
    text.reserveCapacity(count * 190)
    var written = 0
    var step = 0
    let writes = [
      "kvm_cr: cr_write 0 = 0x80050033", "kvm_cr: cr_write 4 = 0x3208b0",
      "kvm_msr: msr_write c0000080 = 0xd01",
      "kvm_cr: cr_write 4 = 0x3608f0", "kvm_cr: cr_write 4 = 0x1360ef0", "kvm_msr: msr_read c0000080 = 0xd01",
    ]
    while written < count {
      let vcpu = step % 4
      let head = " qemu-system-x86-\(8000 + vcpu)    [00\(vcpu)]"
      let time = "\(1000 + step / 1000)." + String(String(1_000_000 + step % 1000 * 997).dropFirst())
      let rip = "0xffffffff81\(String(0x100000 + step % 0xfffff, radix: 16).dropFirst())"
      let write = writes[step % writes.count]
      text +=
        "\(head) d....  \(time): kvm_exit: vcpu \(vcpu) reason CR_ACCESS rip \(rip) info1 "
        + "0x0000000000000004 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000\n"
      text += "\(head) .....  \(time): \(write)\n"
      written += 2
      if write.hasSuffix("0x1360ef0") {
        text += "\(head) .....  \(time): kvm_inj_exception: #GP (0x0)\n"
        written += 1
      }
      text += "\(head) .....  \(time): kvm_mmu_walker_error: pferr 3 P|W\n"
      text += "\(head) d....  \(time): kvm_entry: vcpu \(vcpu), rip \(rip)\n"
      written += 1
      step += 1
    }
    return text
  }

  /// Milliseconds to read and import `text` (best of `rounds`), and the statements written.
  static func milliseconds(_ text: String, rounds: Int) -> (Double, Int) {
    let bytes = Array(text.utf8)
    var replayed = 0
    let best = best(of: rounds) {
      Double(
        measure {
          guard case .success(let trace) = TraceReader.read(bytes) else { return }
          let script = TraceImporter.script(for: trace, options: TraceImportOptions(source: "bench"))
          replayed = script.replayed
          blackHole(script.text)
        }) / 1e6
    }
    return (best, replayed)
  }

  /// Runs the import figure and exits.
  static func main(_ arguments: ArraySlice<String>) -> Never {
    let text = trace(events: 100_000)
    if let flag = arguments.firstIndex(of: "--write-trace"), arguments.index(after: flag) < arguments.endIndex
    {
      let path = arguments[arguments.index(after: flag)]
      guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
        print("cannot write \(path)")
        exit(1)
      }
    }
    let (ms, replayed) = milliseconds(text, rounds: 5)
    print(
      "import_ms_per_100k_events      \(String(format: "%9.1f", ms)) ms  (\(replayed) statements, \(text.utf8.count >> 20) MiB)"
    )
    exit(0)
  }
}
