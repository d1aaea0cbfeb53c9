import Engine
import Testing

@testable import Script

/// The literal tables the byte renderers write instead of building strings say what the
/// engine's names say: a new outcome or a renamed one fails here, not in a golden.
@Suite("trace literals")
struct TraceLiteralTests {
  @Test("each outcome's JSON name is its raw value", arguments: OutcomeKind.allCases)
  func rawNames(kind: OutcomeKind) {
    var out = TraceBuffer()
    out.append(rawName: kind)
    #expect(out.text == kind.rawValue)
  }

  @Test(
    "each outcome's text column is its display name padded to the column", arguments: OutcomeKind.allCases)
  func paddedDisplay(kind: OutcomeKind) {
    var out = TraceBuffer()
    out.appendPadded(display: kind)
    let padding = String(repeating: " ", count: max(TextTrace.outcomeWidth - kind.display.count, 0))
    #expect(out.text == kind.display + padding)
  }

  @Test("each change field's name is its fixed name, or the design's or option's own")
  func changeFieldNames() {
    let fields: [ChangeField] = [
      .register(.cr0), .register(.cr3), .register(.cr4), .register(.efer), .pins(.cr0, high: false),
      .pins(.cr4, high: true), .eflagsAC, .smm, .smram(.cr4), .nestedMode, .vmcs12HostCR(.cr0),
      .vcpuCount, .stopped, .mechanism, .hostCR(.cr4), .nativePins, .kernelVersion, .kvmVersion,
      .cpuid,
    ]
    for field in fields {
      #expect(field.staticName != nil, "\(field)")
      #expect(!field.name.isEmpty, "\(field)")
    }
    #expect(ChangeField.register(.efer).name == "EFER")
    #expect(ChangeField.pins(.cr4, high: true).name == "pins.cr4_high")
    #expect(ChangeField.nestedMode.name == "mode")
    #expect(ChangeField.option(.nativePin).name == VMOptionName.nativePin.rawValue)
    #expect(ChangeField.design("heki.locks").name == "heki.locks")
    #expect(ChangeField.design("heki.locks").staticName == nil)
  }
}
