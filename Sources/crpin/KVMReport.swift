import Engine
import RealKVM
import Script

/// How `run --kvm` and `verify` print the host, the real outcomes and the agreement.
enum KVMReport {
  /// The host's identity and the model it is held against, for people.
  static func identity(_ host: HostIdentity) -> [String] {
    let capabilities = host.capabilities.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
    let bits = host.featureBits.map { "\($0.name)\($0.present ? "+" : "-")" }.joined(separator: " ")
    var lines = [
      "real KVM: \(host.module), API version \(host.apiVersion)",
      "capabilities: \(capabilities)",
      "guest CPUID (KVM_GET_SUPPORTED_CPUID, set with KVM_SET_CPUID2): \(bits), MAXPHYADDR \(host.cpuModel.physicalAddressBits)",
      "compared with \(host.comparisonModelDescription)",
    ]
    let properties = host.knownProperties
    if !properties.isEmpty {
      lines.append("known properties of \(host.module) (differences they explain are not model errors):")
      lines += properties.map { "  \($0.id): \($0.summary)" }
    }
    return lines
  }

  static func textHeader(_ dual: DualSession) -> String {
    var lines = identity(dual.real.host)
    if let start = dual.startDifference { lines.append("✗ start states differ: \(start)") }
    return lines.joined(separator: "\n") + "\n"
  }

  /// `{"kvm":{…}}`: the first JSON line of `run --kvm --format jsonl`.
  static func jsonHeader(_ dual: DualSession) -> String {
    let host = dual.real.host
    let capabilities = host.capabilities.map { "\(JSONText.quoted($0.name)):\($0.value)" }.joined(
      separator: ",")
    let bits = host.featureBits.map { "\(JSONText.quoted($0.name)):\($0.present)" }.joined(separator: ",")
    let properties = host.knownProperties.map { JSONText.quoted($0.id) }.joined(separator: ",")
    return "{\"kvm\":{\"module\":\(JSONText.quoted(host.module)),\"api_version\":\(host.apiVersion),"
      + "\"capabilities\":{\(capabilities)},\"guest_cpuid\":{\(bits)},"
      + "\"model\":\(JSONText.quoted(host.advertisesCRPinning ? "kvm-pin on" : "kvm-pin off")),"
      + "\"known_host_properties\":[\(properties)],"
      + "\"start_difference\":\(dual.startDifference.map(JSONText.quoted) ?? "null")}}"
  }

  /// The real outcome in a few words: `#GP  CR0 0x… CR3 0x… CR4 0x… EFER 0x…`.
  static func realText(_ real: RealOutcome) -> String {
    if case .notRun(let reason) = real.kind { return "not run on this backend: \(reason)" }
    var text = real.display
    if let value = real.value { text += ", read \(Hex.short(value))" }
    if let registers = real.registers { text += "  " + DualSession.describe(registers) }
    if let note = real.note { text += " (\(note))" }
    return text
  }

  /// The mark and the differences: `✓ agrees` or `✗ DIFFERS: …`.
  static func agreementText(_ agreement: Agreement) -> String {
    switch agreement {
    case .agree: return "✓ agrees"
    case .notRun: return ""
    case .differ(let differences, let explanation):
      return "✗ DIFFERS: " + differences.joined(separator: "; ") + explanationText(explanation)
    }
  }

  static func explanationText(_ explanation: Agreement.Explanation?) -> String {
    switch explanation {
    case .hostProperty(let id)?: " [known host property \(id)]"
    case .followsEarlierDifference?: " [follows an earlier difference or a statement only the model ran]"
    case nil: " [UNEXPLAINED]"
    }
  }

  /// The model's text record followed by the real KVM's line.
  static func text(_ model: String, _ step: DualStep) -> String {
    guard let real = step.real, let agreement = step.agreement else { return model }
    let mark = agreementText(agreement)
    return model + "\n        real KVM: " + realText(real) + (mark.isEmpty ? "" : "\n        " + mark)
  }

  /// The model's JSON object with `real`, `agreement`, `differences` and `explanation` added.
  static func json(_ model: String, _ step: DualStep) -> String {
    guard let real = step.real, let agreement = step.agreement, model.hasSuffix("}") else { return model }
    var fields = ["\"outcome\":\(JSONText.quoted(real.word))"]
    if case .fault(let vector) = real.kind { fields.append("\"vector\":\(vector)") }
    if case .notRun(let reason) = real.kind { fields.append("\"reason\":\(JSONText.quoted(reason))") }
    if case .refused(let reason) = real.kind { fields.append("\"reason\":\(JSONText.quoted(reason))") }
    if let registers = real.registers {
      fields += RegisterName.allCases.map {
        "\"\($0.rawValue)\":\(JSONText.quoted(Hex.short(registers[$0])))"
      }
    }
    if let value = real.value { fields.append("\"value\":\(JSONText.quoted(Hex.short(value)))") }
    var extra = ",\"real\":{\(fields.joined(separator: ","))}"
    switch agreement {
    case .agree: extra += ",\"agreement\":\"agree\""
    case .notRun: extra += ",\"agreement\":\"not-run\""
    case .differ(let differences, let explanation):
      let list = differences.map(JSONText.quoted).joined(separator: ",")
      let why: String =
        switch explanation {
        case .hostProperty(let id)?: JSONText.quoted(id)
        case .followsEarlierDifference?: "\"follows-earlier-difference\""
        case nil: "null"
        }
      extra += ",\"agreement\":\"differ\",\"differences\":[\(list)],\"explanation\":\(why)"
    }
    return String(model.dropLast()) + extra + "}"
  }

  /// `{"summary":{…}}`: the last JSON line.
  static func jsonSummary(_ summary: AgreementSummary) -> String {
    "{\"summary\":{\"statements\":\(summary.statements),\"agree\":\(summary.agree),"
      + "\"differ\":\(summary.differ),\"host_property\":\(summary.hostProperty),"
      + "\"follow_on\":\(summary.followOn),\"unexplained\":\(summary.unexplained),"
      + "\"not_run\":\(summary.notRun)}}"
  }
}
