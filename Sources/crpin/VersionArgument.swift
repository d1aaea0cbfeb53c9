import ArgumentParser
import Engine

/// `--kernel X` / `--kvm Y` values: MAJOR.MINOR, the guest kernel 5.3 or later (crpin has no
/// facts on older boot paths), the host KVM 5.8 or later (the patch's base; crpin's KVM facts
/// start there). Later than `LinuxVersion.latestFact` is accepted and modelled as it.
enum VersionArgument {
  /// The error for a bad `--kernel`/`--kvm` value, or nil.
  static func problem(_ text: String, kvm: Bool) -> String? {
    let option = kvm ? "--kvm" : "--kernel"
    guard let version = LinuxVersion(text) else {
      return "\(option) '\(text)' is not a version: write MAJOR.MINOR, e.g. \(kvm ? "6.4" : "5.9")"
    }
    if kvm, version < .seedBase {
      return "\(option) \(version): crpin's KVM facts start at 5.8 (the 2020 patch's base)"
    }
    if !kvm, version < .firstNativePinning {
      return "\(option) \(version): crpin has no facts on kernels before 5.3 (native pinning's "
        + "first release); a script can model one with `option native-pin off`"
    }
    return nil
  }

  /// Throws a `ValidationError` for a bad value of either option.
  static func validate(kernel: String?, kvm: String?) throws {
    if let kernel, let message = problem(kernel, kvm: false) { throw ValidationError(message) }
    if let kvm, let message = problem(kvm, kvm: true) { throw ValidationError(message) }
  }

  /// A comma-separated list of versions (`5.8,6.4`), each checked; throws on the first bad one
  /// or on a repeat.
  static func list(_ text: String, kvm: Bool) throws -> [LinuxVersion] {
    var versions: [LinuxVersion] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let item = part.filter { $0 != " " }
      if let message = problem(item, kvm: kvm) { throw ValidationError(message) }
      guard let version = LinuxVersion(item) else { continue }
      if versions.contains(version) {
        throw ValidationError("\(kvm ? "--kvm" : "--kernel") lists \(version) twice")
      }
      versions.append(version)
    }
    return versions
  }
}
