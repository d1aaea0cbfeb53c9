import Engine
import Testing

@testable import Script

/// `crpin compare` with version columns (issue 16): a column per mechanism and version, its VM
/// created with those `VMOptions`. The outcomes per version are the engine's; these tests check
/// the columns exist, are labelled and run with the right options.
@Suite("compare: version columns")
struct CompareVersionsTests {
  private let v58 = LinuxVersion(5, 8)
  private let v59 = LinuxVersion(5, 9)
  private let v64 = LinuxVersion(6, 4)

  @Test("labels name only the versions other than 5.8")
  func labels() {
    #expect(Comparison.Column(.kvm2020).label == "kvm-2020")
    #expect(Comparison.Column(.kvm2020, kvm: v64).label == "kvm-2020@kvm6.4")
    #expect(Comparison.Column(.native, kernel: v59).label == "native@linux5.9")
    #expect(Comparison.Column(.heki, kernel: v59, kvm: v64).label == "heki@linux5.9+kvm6.4")
  }

  @Test("the product keeps a mechanism's versions side by side, kernels outer, KVMs inner")
  func product() {
    let columns = Comparison.Column.product([.kvm2020, .heki], kernels: [v58, v59], kvms: [v58, v64])
    #expect(
      columns.map(\.label) == [
        "kvm-2020", "kvm-2020@kvm6.4", "kvm-2020@linux5.9", "kvm-2020@linux5.9+kvm6.4",
        "heki", "heki@kvm6.4", "heki@linux5.9", "heki@linux5.9+kvm6.4",
      ])
    #expect(Comparison.Column.product(Mechanism.allCases) == Mechanism.allCases.map { Comparison.Column($0) })
  }

  @Test("designs whose hypervisor is not KVM (VTL1, Xen) get no KVM-version columns, only kernel ones")
  func nonKVMDesigns() {
    let vtl1 = Mechanism(rawValue: "vtl1")
    let xen = Mechanism(rawValue: "xen-vm-event")
    let columns = Comparison.Column.product([vtl1, xen].compactMap { $0 }, kernels: [v58, v59], kvms: [v64])
    #expect(columns.map(\.label) == ["vtl1", "vtl1@linux5.9", "xen-vm-event", "xen-vm-event@linux5.9"])
  }

  @Test("each column's VM runs with its mechanism and versions, start to end")
  func columnsRunWithTheirOptions() throws {
    let columns = Comparison.Column.product([.kvm2020, .native], kernels: [v58, v59], kvms: [v64])
    let comparison = try Comparison.run("kernel write cr4, cr4 & ~SMEP\nstac\n", columns: columns).get()
    #expect(comparison.columns == columns)
    #expect(comparison.mechanisms == [.kvm2020, .kvm2020, .native, .native])
    #expect(comparison.finals.count == columns.count)
    for (column, vm) in zip(columns, comparison.finals) {
      #expect(vm.options.mechanism == column.mechanism)
      #expect(vm.options.kernel == column.kernel)
      #expect(vm.options.kvm == column.kvm)
    }
    #expect(comparison.rows.count == 2)
    #expect(comparison.rows.allSatisfy { $0.cells.count == 4 && $0.cells.allSatisfy { !$0.isEmpty } })
    let text = comparison.rendered(.text)
    #expect(text.hasPrefix("step"))
    for column in columns { #expect(text.contains(column.label)) }
    let markdown = comparison.rendered(.markdown)
    #expect(markdown.contains("| line | step | kvm-2020@kvm6.4 | kvm-2020@linux5.9+kvm6.4 | native@kvm6.4 |"))
    // Every JSON line carries its column's versions.
    let lines = comparison.rendered(.jsonl).split(separator: "\n")
    #expect(lines.count == 8)
    #expect(lines.allSatisfy { $0.contains(#""kvm":"6.4""#) })
    #expect(lines.filter { $0.contains(#""kernel":"5.9""#) }.count == 4)
  }

  @Test("without versions the columns are today's six, labelled by mechanism")
  func defaults() throws {
    let comparison = try Comparison.run("stac\n").get()
    #expect(comparison.columns.map(\.label) == Mechanism.allCases.map(\.rawValue))
    #expect(comparison.finals.allSatisfy { $0.options.kernel == v58 && $0.options.kvm == v58 })
  }

  @Test("a failed expect[M] is checked in every column of M and names the column")
  func expectations() throws {
    let columns = Comparison.Column.product([.heki], kvms: [v58, v64])
    let comparison = try Comparison.run("stac\nexpect[heki] gp\n", columns: columns).get()
    #expect(comparison.failures.map(\.column) == ["heki", "heki@kvm6.4"])
  }

  @Test("the slice-at-a-time run gives the same columns and cells")
  func sliced() throws {
    let columns = Comparison.Column.product([.kvm2020, .vtl1], kvms: [v58, v64])
    let source = "kernel write cr0, cr0 & ~WP\nmov cr4, cr4 & ~SMEP\n"
    var run = ComparisonRun(source, columns: columns)
    while run.advance(by: 1) > 0 {}
    let sliced = try #require(try run.result?.get())
    let whole = try Comparison.run(source, columns: columns).get()
    #expect(sliced.rows == whole.rows)
    #expect(sliced.finals.map(\.options) == whole.finals.map(\.options))
  }

  @Test("the CLI: --kvm and --kernel lists, --mechanism, and their errors")
  func cli() throws {
    let result = try BuiltBinary.run(
      ["compare", "-", "--mechanism", "kvm-2020", "--kvm", "5.8,6.4", "--kernel", "5.9"], stdin: "stac\n")
    #expect(result.status == 0)
    #expect(
      result.out.hasPrefix("step          kvm-2020@linux5.9  kvm-2020@linux5.9+kvm6.4\n"), "\(result.out)")
    let failed = try BuiltBinary.run(
      ["compare", "-", "--mechanism", "heki", "--kvm", "6.4"], stdin: "stac\nexpect[heki] gp\n")
    #expect(failed.status == 1)
    #expect(failed.err.contains("expectation failed under heki@kvm6.4"))
    let twice = try BuiltBinary.run(["compare", "-", "--kvm", "6.4,6.4"], stdin: "stac\n")
    #expect(twice.status == 2)
    #expect(twice.err.contains("--kvm lists 6.4 twice"))
    let old = try BuiltBinary.run(["compare", "-", "--kvm", "5.4"], stdin: "stac\n")
    #expect(old.status == 2)
    #expect(old.err.contains("crpin's KVM facts start at 5.8"))
    let bad = try BuiltBinary.run(["compare", "-", "--kernel", "5.9,x"], stdin: "stac\n")
    #expect(bad.status == 2)
    #expect(bad.err.contains("--kernel 'x' is not a version"))
  }
}
