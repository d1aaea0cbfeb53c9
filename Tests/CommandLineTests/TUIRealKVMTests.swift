import Foundation
import RealKVM
import TUI
import Testing

@testable import crpin

/// `crpin tui --kvm`'s side of the main loop on this machine's /dev/kvm: requests from the TUI
/// run on the real vCPU and come back as verdicts. Where /dev/kvm is missing each test says so
/// and runs nothing; under CI (`CRPIN_CI_EXTRA=1`) a missing /dev/kvm fails.
@Suite("tui --kvm on the real vCPU", .serialized)
struct TUIRealKVMTests {
  /// The follower on a fresh real vCPU, or nil after saying why there is none.
  static func follower(sourceLocation: SourceLocation = #_sourceLocation) throws -> TUIRealKVM? {
    guard FileManager.default.fileExists(atPath: "/dev/kvm") else {
      if ProcessInfo.processInfo.environment["CRPIN_CI_EXTRA"] == "1" {
        Issue.record(
          "/dev/kvm is missing: CI (CRPIN_CI_EXTRA=1) needs it for the real-KVM tests",
          sourceLocation: sourceLocation)
      } else {
        print("note: /dev/kvm is missing on this machine: this real-KVM test ran nothing")
      }
      return nil
    }
    return TUIRealKVM(real: try RealVCPU())
  }

  static var isPVM: Bool { FileManager.default.fileExists(atPath: "/sys/module/kvm_pvm") }

  static func run(_ lines: [String], first entry: Int = 1) -> RealKVMRequest {
    RealKVMRequest(statements: lines.enumerated().map { RealKVMStatement($1, entry: entry + $0) })
  }

  @Test("the model starts as run --kvm's: the host's comparison options, a boot both agree on")
  func startsAsRunKVM() throws {
    guard let real = try Self.follower() else { return }
    #expect(real.info.options == real.real.host.comparisonOptions)
    #expect(real.info.module == real.real.host.module)
    #expect(real.startDifference == nil)
  }

  @Test("a pin MSR #GPs on both (no released KVM has them); SMEP as this host gives it")
  func pinMSRAndSMEP() throws {
    guard var real = try Self.follower() else { return }
    let report = real.perform(Self.run(["wrmsr CR4_PINNED_HIGH, 0x100000", "mov cr4, cr4 | SMEP"]))
    #expect(report.message == nil)
    #expect(report.results.map(\.entry) == [1, 2])
    let pin = report.results.first?.verdict
    if real.real.host.advertisesCRPinning {
      #expect(pin?.outcome == "ok")
    } else {
      #expect(
        pin == RealKVMVerdict(statement: "wrmsr CR4_PINNED_HIGH, 0x100000", outcome: "#GP", agreement: .agree)
      )
    }
    let smep = report.results.last?.verdict
    let hasSMEP = real.real.host.cpuModel.features.contains(.smep)
    if Self.isPVM, !hasSMEP {
      // kvm_pvm accepts SMEP whatever CPUID says: the model #GPs, the host does not.
      #expect(smep?.outcome == "ok")
      guard case .differ(let differences, .hostProperty(let id, let summary)?) = smep?.agreement else {
        Issue.record("expected a known host property, got \(String(describing: smep))")
        return
      }
      #expect(differences.first == "model #GP, real KVM ok")
      #expect(id == "pvm.cr4-ignores-cpuid")
      #expect(summary.hasPrefix("CR4.UMIP, SMEP, SMAP"))
    } else {
      #expect(smep?.agreement == .agree)
    }
  }

  @Test("a read shows its value; a statement the backend cannot run says why")
  func readAndNotRun() throws {
    guard var real = try Self.follower() else { return }
    let report = real.perform(Self.run(["rdmsr EFER", "vtl1 policy drop"]))
    #expect(report.results.first?.verdict.outcome.hasPrefix("ok = 0x") == true)
    #expect(report.results.first?.verdict.agreement == .agree)
    #expect(
      report.results.last?.verdict.agreement == .notRun("another pinning mechanism: not in this KVM"))
  }

  @Test("a restart replays the point's transcript on a fresh boot, annotating nothing")
  func restartReplays() throws {
    guard var real = try Self.follower() else { return }
    _ = real.perform(Self.run(["mov cr0, cr0 & ~WP", "wrmsr EFER, efer & ~NXE"]))
    let replay = real.perform(
      RealKVMRequest(
        restart: "undo", statements: [RealKVMStatement("mov cr0, cr0 & ~WP", entry: nil)]))
    #expect(replay.results.isEmpty)
    #expect(replay.message == "real KVM: fresh boot, 1 replayed")
    #expect(!replay.isError)
    #expect(real.real.registers?.cr0 == 0x8004_0033)
    let next = real.perform(Self.run(["rdmsr EFER"], first: 3))
    #expect(next.results.first?.verdict.agreement == .agree)
    #expect(next.results.first?.verdict.outcome == "ok = 0xd01")
  }

  @Test("a transcript over the replay limit runs on the model only: apart until a boot agrees")
  func replayLimit() throws {
    guard var real = try Self.follower() else { return }
    let lines = Array(repeating: "mov cr0, cr0 ^ WP", count: TUIRealKVM.replayLimit + 1)
    let replay = real.perform(
      RealKVMRequest(restart: "timeline jump", statements: lines.map { RealKVMStatement($0, entry: nil) }))
    #expect(replay.isError)
    #expect(replay.message?.contains("more than \(TUIRealKVM.replayLimit) to replay") == true)
    let after = real.perform(Self.run(["rdmsr EFER", "boot", "rdmsr EFER"]))
    #expect(
      after.results.first?.verdict.agreement
        == .differ(
          ["CR0: model 0x80040033, real KVM 0x80050033"], explanation: .followsEarlierDifference))
    #expect(after.results.dropFirst().map(\.verdict.agreement) == [.agree, .agree])
  }

  @Test("a statement this side's model refuses loses step: later ones are not run until a restart")
  func lostStep() throws {
    guard var real = try Self.follower() else { return }
    let report = real.perform(Self.run(["vcpu 3", "rdmsr EFER"]))
    #expect(report.isError)
    #expect(report.message?.contains("lost step with the model at `vcpu 3`") == true)
    #expect(report.results.map(\.verdict.outcome) == ["not run", "not run"])
    let restarted = real.perform(RealKVMRequest(restart: "undo", statements: []))
    #expect(!restarted.isError)
    #expect(real.perform(Self.run(["rdmsr EFER"])).results.first?.verdict.agreement == .agree)
  }
}
