import Engine
import Script
import TUI
import Testing

/// A stand-in for the real vCPU: answers each request as a host without the pinning patch
/// and with SMEP ungated by CPUID would (the pin MSRs #GP and agree, a CR4 write is `ok` and
/// differs as a known host property, options are not run), and remembers what it was asked.
struct FakeRealKVM {
  var requests: [RealKVMRequest] = []

  mutating func perform(_ request: RealKVMRequest) -> RealKVMReport {
    requests.append(request)
    let results = request.statements.compactMap { statement -> RealKVMResult? in
      guard let entry = statement.entry else { return nil }
      let text = statement.text
      let verdict: RealKVMVerdict
      if text.hasPrefix("mov cr4") {
        verdict = RealKVMVerdict(
          statement: text, outcome: "ok",
          agreement: .differ(
            ["model #GP, real KVM ok"],
            explanation: .hostProperty(id: "fake.smep", summary: "SMEP is ungated")))
      } else if text.hasPrefix("option") {
        verdict = RealKVMVerdict(statement: text, outcome: "not run", agreement: .notRun("a model option"))
      } else {
        verdict = RealKVMVerdict(statement: text, outcome: "#GP", agreement: .agree)
      }
      return RealKVMResult(entry: entry, verdict: verdict)
    }
    return RealKVMReport(
      results: results, message: request.restart.map { _ in "real KVM replayed \(request.statements.count)" })
  }
}

/// Drives a state as the main loop does with `--kvm`: each `runOnRealKVM` effect goes to the
/// fake real vCPU and its report back through `update(_:real:)`.
struct RealDriver {
  var state: AppState
  var real = FakeRealKVM()
  var effects: [Effect] = []

  static let info = RealKVMInfo(
    module: "kvm_test",
    options: { () -> VMOptions in
      var options = VMOptions()
      options.kvmPin = false
      options.cpu = CPUModel(features: CPUModel.default.features.subtracting(.smep), physicalAddressBits: 46)
      return options
    }())

  init(vcpus: Int = 1, setup: [String] = []) {
    state = AppState(vcpuCount: vcpus, setup: setup, realKVM: Self.info)
    carry(state.takeRealKVMEffects())
  }

  private mutating func carry(_ new: [Effect]) {
    var queue = new
    while !queue.isEmpty {
      let effect = queue.removeFirst()
      effects.append(effect)
      if case .runOnRealKVM(let request) = effect {
        queue += update(&state, real: real.perform(request))
      }
    }
  }

  mutating func press(_ keys: Key...) {
    for key in keys { carry(update(&state, .key(key))) }
  }

  mutating func command(_ text: String) {
    press(.character(":"))
    for character in text { press(.character(character)) }
    press(.enter)
  }

  var screen: String { view(state, width: 120, height: 40).text }
}

@Suite("tui --kvm: the real vCPU follows every step (a fake one here)")
struct RealKVMFlowTests {
  @Test("without --kvm no step asks for the real vCPU")
  func modelAloneAsksNothing() {
    var d = Driver(AppState(isRecording: true))
    d.press(.character(" "))
    d.command("wrmsr EFER, efer")
    d.press(.character("u"))
    #expect(!d.effects.contains { if case .runOnRealKVM = $0 { true } else { false } })
    #expect(!d.screen(120, 40).text.contains("real KVM"))
  }

  @Test("the model starts as the comparison model; the mode line names the KVM and that model")
  func startsUnderTheComparisonModel() {
    let d = RealDriver()
    #expect(d.state.vm.options == RealDriver.info.options)
    #expect(d.state.currentVCPU.registers.cr4 & CR4.smep == 0)
    #expect(d.screen.split(separator: "\n")[0].contains("real KVM kvm_test vs kvm-pin off"))
    // Nothing to run at start with one vCPU and no set-up.
    #expect(d.real.requests.isEmpty)
  }

  @Test("a toggle runs its statement on the real vCPU and the entry shows the difference and why")
  func toggleShowsTheRealOutcome() {
    var d = RealDriver()
    d.press(.character(" "))
    let entry = d.state.log.last
    let statement = entry?.statement ?? ""
    #expect(statement.hasPrefix("mov cr4, 0x"))
    #expect(entry?.outcome == .gp)
    #expect(d.real.requests == [RealKVMRequest(statements: [RealKVMStatement(statement, entry: 1)])])
    #expect(
      entry?.real == [
        RealKVMVerdict(
          statement: statement, outcome: "ok",
          agreement: .differ(
            ["model #GP, real KVM ok"],
            explanation: .hostProperty(id: "fake.smep", summary: "SMEP is ungated")))
      ])
    #expect(
      d.screen.contains("real KVM: ok ✗ differs: model #GP, real KVM ok — known host property fake.smep"))
    // The preview stays the model's, and says so.
    #expect(d.screen.contains("The model's preview: a real vCPU cannot preview."))
  }

  @Test("an agreeing statement says ✓; a statement the real KVM cannot run says why")
  func agreeAndNotRun() {
    var d = RealDriver()
    d.command("wrmsr CR4_PINNED_HIGH, 0x100000")
    d.command("option native-pin off")
    #expect(d.screen.contains("real KVM: #GP ✓"))
    #expect(d.screen.contains("real KVM: not run (a model option)"))
    #expect(d.state.log.map(\.real.count) == [1, 1])
  }

  @Test("on another vCPU the `vcpu N` line goes too, and only the action annotates the entry")
  func otherVCPU() {
    var d = RealDriver(vcpus: 2)
    #expect(d.real.requests == [RealKVMRequest(statements: [RealKVMStatement("vcpus 2", entry: nil)])])
    d.press(.tab)
    d.command("wrmsr EFER, efer")
    #expect(
      d.real.requests.last?.statements == [
        RealKVMStatement("vcpu 1", entry: nil), RealKVMStatement("wrmsr EFER, efer", entry: 1),
      ])
    #expect(d.state.log.last?.real.count == 1)
  }

  @Test("--from's start-up statements run on the real vCPU and annotate their entries")
  func setupLines() {
    let d = RealDriver(setup: ["host sregs cr4=0xef0"])
    #expect(
      d.real.requests == [RealKVMRequest(statements: [RealKVMStatement("host sregs cr4=0xef0", entry: 1)])])
    #expect(d.state.log.first?.real.first?.agreement == .agree)
  }

  @Test("undo and redo restart the real vCPU and replay the point's transcript, entries kept")
  func undoReplays() {
    var d = RealDriver()
    d.command("wrmsr EFER, efer")
    d.command("rdmsr EFER")
    d.press(.character("u"))
    let restart = d.real.requests.last
    #expect(restart?.restart != nil)
    #expect(restart?.statements == [RealKVMStatement("wrmsr EFER, efer", entry: nil)])
    #expect(d.state.message?.text.hasPrefix("real KVM replayed 1 · history point 1 of 2") == true)
    // The entries keep what the real vCPU said when they ran.
    #expect(d.state.visibleLog.map(\.real.count) == [1])
    d.press(.control("r"))
    #expect(d.real.requests.last?.statements.map(\.text) == ["wrmsr EFER, efer", "rdmsr EFER"])
    #expect(d.real.requests.count == 4)
  }

  @Test("a scenario starts the real vCPU afresh, under the comparison model")
  func scenarioStart() {
    var d = RealDriver()
    d.command("wrmsr EFER, efer")
    guard let effects = d.state.startScenario(id: "rop-smep") else {
      Issue.record("no rop-smep scenario")
      return
    }
    let requests = (effects + d.state.takeRealKVMEffects()).compactMap { effect -> RealKVMRequest? in
      if case .runOnRealKVM(let request) = effect { return request }
      return nil
    }
    #expect(requests.count == 1)
    #expect(requests.first?.restart != nil)
    #expect(requests.first?.statements == [])
    #expect(d.state.vm.options.kvmPin == false)
    #expect(d.state.vm.options.cpu == RealDriver.info.options.cpu)
  }

  @Test("the presenter's step pane shows the real verdict under each statement")
  func presenterStep() {
    var d = RealDriver()
    d.state.presentForced = true
    _ = d.state.startScenario(id: "rop-smep")
    _ = d.state.takeRealKVMEffects()
    d.press(.character("n"))
    let statements = d.state.visibleLog.suffix(1).map(\.statement)
    #expect(!statements.isEmpty)
    #expect(d.screen.contains("step 1/"))
    #expect(d.screen.contains("real KVM: "))
  }

  @Test("a re-boot under M is one entry: each of its statements' verdicts is named")
  func mechanismReboot() {
    var d = RealDriver()
    d.press(.character("M"), .enter)
    let entry = d.state.log.last
    #expect(entry?.statement.hasPrefix("option mechanism") == true)
    #expect(entry?.real.map(\.statement) == ["option mechanism kvm-2020", "reboot", "boot"])
    #expect(d.screen.contains("real KVM: `option mechanism kvm-2020` not run (a model option)"))
    #expect(d.screen.contains("real KVM: `boot` #GP ✓"))
  }

  @Test("a verdict for an entry the log no longer keeps is dropped; a report's error replaces the message")
  func staleVerdictAndError() {
    var d = RealDriver()
    _ = update(
      &d.state,
      real: RealKVMReport(
        results: [
          RealKVMResult(
            entry: 7, verdict: RealKVMVerdict(statement: "reset", outcome: "ok", agreement: .agree))
        ], message: "real KVM: lost", isError: true))
    #expect(d.state.log.isEmpty)
    #expect(d.state.message == StatusMessage("real KVM: lost", isError: true))
  }
}
