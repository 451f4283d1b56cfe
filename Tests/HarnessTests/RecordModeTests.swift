import Testing

@testable import Harness

@Suite struct RecordModeTests {
  @Test("--record wins over LOCKSTEP_RECORD; the default is never; CI forces never and says so")
  func resolve() {
    #expect(RecordMode.resolve(option: nil, environment: [:])?.mode == .never)
    #expect(RecordMode.resolve(option: nil, environment: ["LOCKSTEP_RECORD": "failed"])?.mode == .failed)
    #expect(RecordMode.resolve(option: "all", environment: ["LOCKSTEP_RECORD": "failed"])?.mode == .all)
    let underCI = RecordMode.resolve(option: "missing", environment: ["CI": "true"])
    #expect(underCI?.mode == .never)
    #expect(underCI?.note?.contains("CI is set") == true)
    #expect(RecordMode.resolve(option: "sometimes", environment: [:]) == nil)
  }
}
