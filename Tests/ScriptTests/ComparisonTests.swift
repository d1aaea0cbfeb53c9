import Engine
import Script
import Testing

/// `crpin compare`: the matrix golden-tested, the jsonl records, the exit status.
@Suite("comparison")
struct ComparisonTests {
  @Test("compare-rop: the matrix, golden")
  func golden() throws {
    let source = try #require(Scenario.named("compare-rop")).source
    let comparison = try Comparison.run(source).get()
    #expect(comparison.rendered(.text) == Self.text)
    #expect(comparison.exitCode == 0)
    #expect(
      comparison.rendered(.markdown).hasPrefix(
        "| line | step | kvm-2020 | kvm-rfc2 | heki | vtl1 | xen-vm-event | native | none |"))
  }

  @Test("jsonl: crpin run's records, mechanism first, column after column")
  func jsonl() throws {
    let comparison = try Comparison.run("clear cr4.SMEP\nrdmsr CR4_PIN_ALLOWED").get()
    let lines = comparison.rendered(.jsonl).split(separator: "\n").map(String.init)
    #expect(lines.count == 2 * Mechanism.allCases.count)
    for (index, mechanism) in Mechanism.allCases.enumerated() {
      #expect(lines[2 * index].hasPrefix(#"{"mechanism":"\#(mechanism.rawValue)","line":1,"op":"clear""#))
    }
    #expect(lines[3].contains(#""action":"rdmsr CR4_PIN_ALLOWED""#), "kvm-rfc2 reads 0x4b564d07")
    #expect(lines[1].contains(#""value":"0x300800""#))
  }

  @Test("exit 1 only when an expect[M] line fails under M; plain expect lines are not checked")
  func exitStatus() throws {
    let passing = try Comparison.run("clear cr4.SMEP\nexpect gp\nexpect[heki] gp").get()
    #expect(passing.exitCode == 0)
    #expect(passing.expectationsChecked == 1)
    let failing = try Comparison.run("clear cr4.SMEP\nexpect[heki, vtl1] gp").get()
    #expect(failing.exitCode == 1)
    #expect(failing.failures.map(\.mechanism) == [.vtl1])
    #expect(failing.rows[0].cells[3] == "dropped ✗")
    guard case .failure(let error) = Comparison.run("clear cr4.SMEPP") else {
      Issue.record("a parse error runs nothing")
      return
    }
    #expect(error.line == 1)
  }

  @Test("each column starts booted under its mechanism; vcpus N boots every vCPU under it")
  func startingState() throws {
    let comparison = try Comparison.run("vcpus 2\nvcpu 1\nclear cr4.SMEP").get()
    #expect(comparison.rows.map(\.cells) == [["#GP", "#GP", "#GP", "dropped", "dropped", "ok", "ok"]])
    #expect(comparison.finals.map { $0.vcpus.count } == Array(repeating: 2, count: 7))
    #expect(comparison.endState.map(\.label).first == "vCPU 0 CR0")
  }

  @Test("every built-in scenario compares with exit status 0", arguments: Scenario.all.map(\.id))
  func scenarios(_ id: String) throws {
    let comparison = try Comparison.run(try #require(Scenario.named(id)).source).get()
    #expect(comparison.errors.isEmpty)
    #expect(comparison.exitCode == 0)
  }

  static let text = """
    step                                 kvm-2020        kvm-rfc2        heki            vtl1            xen-vm-event               native           none
      15  mov cr4, cr4 & ~SMEP           #GP             #GP             #GP             dropped         dropped                    ok               ok
      26  host sregs cr4=cr4 | SMEP      ok              ok              ok              ok              ok                         ok               ok
      30  kernel write cr4, cr4 & ~SMEP  #GP             #GP             #GP             dropped         dropped                    restored+warned  ok
      40  exec user                      #PF             #PF             #PF             #PF             #PF                        #PF              ok
      47  host sregs cr4=cr4 | SMEP      ok              ok              ok              ok              ok                         ok               ok
      48  vmcs12 host_cr4, cr4 & ~SMEP   ok              ok              ok              ok              ok                         ok               ok
      49  vmentry                        ok              ok              ok              ok              ok                         ok               ok
      50  vmexit                         ok, forced      ok              ok              ok              ok                         ok               ok
      58  host sregs cr4=cr4 | SMEP      ok              ok              ok              ok              ok                         ok               ok
      59  smi                            ok              ok              ok              ok              ok                         ok               ok
      60  smram cr4, smram.cr4 & ~SMEP   ok              ok              ok              ok              ok                         ok               ok
      61  rsm                            VM stops        ok, rewritten   ok              ok              ok                         ok               ok

    end state                            kvm-2020        kvm-rfc2        heki            vtl1            xen-vm-event               native           none
      CR0                                0x50032         0x80050033      0x80050033      0x80050033      0x80050033                 0x80050033       0x80050033
      CR4                                0x0             0x360ef0        0x260ef0        0x260ef0        0x260ef0                   0x260ef0         0x260ef0
      pinned CR0                         WP              WP              WP              -               -                          -                -
      pinned CR4                         UMIP SMEP SMAP  UMIP SMEP SMAP  UMIP SMEP SMAP  -               -                          -                -
      VTL1 intercepts                    -               -               -               CR4 0xffffffff  -                          -                -
      Xen monitor watches                -               -               -               -               CR0 0x10000, CR4 0x300800  -                -
      VM                                 stopped         runs            runs            runs            runs                       runs             runs

    all 50 expect[…] checks held
    """
}
