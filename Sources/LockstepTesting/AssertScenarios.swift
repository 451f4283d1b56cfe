import Foundation
import Harness
import Testing

/// Runs the package's own scenarios (its `Scenarios/` and `Baselines/`, found above the
/// calling test file) as `lockstep run` does, and records one issue per scenario that fails,
/// pointing at its scenario file and carrying its report (also attached). Baselines are
/// recorded as the `.lockstep(record:)` trait (else `LOCKSTEP_RECORD`) says; a recorded
/// baseline is an issue too, as a recorded snapshot is, so the next run checks it.
///
/// ```swift
/// import LockstepTesting
/// import Testing
///
/// @Test(.lockstep(record: .missing)) func scenarios() { assertScenarios() }
/// ```
public func assertScenarios(
  filter: String? = nil, root: String? = nil, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard let root = root ?? PackageScenarios.root(above: filePath) else {
    Issue.record("no Scenarios/ directory above \(filePath): pass `root:`", sourceLocation: sourceLocation)
    return
  }
  let configuration = LockstepConfiguration.current
  let environment = ProcessInfo.processInfo.environment
  guard let (mode, _) = RecordMode.resolve(option: configuration?.record.rawValue, environment: environment) else {
    Issue.record(
      "LOCKSTEP_RECORD is not one of \(RecordMode.allCases.map(\.rawValue).joined(separator: ", "))",
      sourceLocation: sourceLocation)
    return
  }
  let outcomes: [PackageScenarios.Outcome]
  do {
    let limits = try RunLimits.resolve(environment: environment)
    outcomes = try PackageScenarios(root: root, filter: filter).run(
      record: mode, accept: configuration?.accept ?? false, limits: limits)
  } catch {
    Issue.record("the scenarios under \(root) could not be run: \(error)", sourceLocation: sourceLocation)
    return
  }
  if outcomes.isEmpty {
    Issue.record("no scenario under \(root)/Scenarios matches", sourceLocation: sourceLocation)
  }
  for outcome in outcomes { report(outcome) }
}

/// The issues of one scenario, at its file.
private func report(_ outcome: PackageScenarios.Outcome) {
  let location = SourceLocation(
    fileID: "Scenarios/\(outcome.id).yaml", filePath: outcome.path, line: 1, column: 1)
  if !outcome.passed {
    Attachment.record(outcome.report, named: outcome.id.replacingOccurrences(of: "/", with: "-") + ".txt")
    Issue.record(Comment(rawValue: "\(outcome.id) failed:\n" + outcome.report), sourceLocation: location)
  }
  switch outcome.recording {
  case .new(let pending), .changed(let pending, _):
    var what = "recorded \(pending ? "a pending baseline" : "the baseline") for \(outcome.id)"
    if case let .changed(_, digest) = outcome.recording { what += " (changed: \(digest))" }
    let next =
      pending
      ? "review it with `lockstep baseline review`, then `lockstep baseline accept`"
      : "run the test again to check against it"
    Issue.record(Comment(rawValue: "\(what); \(next)"), sourceLocation: location)
  case .refused, .contradicts:
    let line = outcome.recording.line(id: outcome.id) ?? outcome.id
    Issue.record(Comment(rawValue: "not recorded: \(line)"), sourceLocation: location)
  case .skipped, .badInput, .unchanged:
    break
  }
}
