import ArgumentParser
import Foundation
import Harness
import TFModel

/// The options of every command that runs scenarios (`run`, `baseline update`): which
/// scenarios, under which profile, on how many threads.
struct RunOptions: ParsableArguments {
  @OptionGroup var common: CommonOptions

  @Argument(
    help: "Scenario ids (as `lockstep list` shows them) or paths to .yaml files. Default: every bundled scenario.")
  var scenarios: [String] = []

  @Option(
    help: ArgumentHelp(
      "Only scenarios whose id, a tag or source contains PATTERN (or matches it, with * wildcards), in any case.",
      valueName: "pattern"))
  var filter: String?

  @Option(
    help: ArgumentHelp("Model this TensorFlow version instead of each scenario's own profile.", valueName: "version"))
  var profile: String?

  @Option(
    name: [.customShort("j"), .long],
    help: ArgumentHelp(
      "Run N scenarios at once (default: the number of cores). Output is in the same order whatever N.",
      valueName: "n"))
  var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(
    help: ArgumentHelp(
      "Run only slice I of N of the selection (by a stable hash of each id); 1/N … N/N cover it exactly once.",
      valueName: "i/n"))
  var shard: Shard?

  func validate() throws {
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
  }

  /// The session these options describe, printing an error and exiting 2 on an unknown profile.
  func session() throws -> RunSession {
    var override: Profile?
    if let profile {
      guard let named = Profile.named(profile) else {
        printError(
          "error: profile '\(profile)' is not supported (supported: "
            + "\(Profile.supported.map(\.version).joined(separator: ", ")))")
        throw ExitStatus.badInput.code
      }
      override = named
    }
    return RunSession(workspace: common.workspace, profile: override, jobs: jobs)
  }

  /// The profile a run models, for reports: `--profile`, else the scenarios' own profiles.
  func profileProperty(of selection: [Workspace.Selected]) -> String {
    if let profile { return profile }
    let own = Set(selection.compactMap { try? $0.scenario.get().profile.version })
    return own.isEmpty ? Profile.newest.version : own.sorted().joined(separator: ", ")
  }

  /// Whether the run covers every bundled scenario (no ids, filter or shard).
  var selectsWholeSuite: Bool { scenarios.isEmpty && filter == nil && shard == nil }

  /// The selected scenarios, each loaded once.
  func selection() throws -> [Workspace.Selected] {
    try common.load(scenarios, filter: filter, shard: shard)
  }
}

extension Shard: ExpressibleByArgument {
  public init?(argument: String) {
    self.init(argument)
  }
}

/// Prints a run's results, one scenario at a time in selection order, with located errors
/// on standard error, and tracks whether any input was bad. On a terminal it keeps a progress
/// line (done/total, elapsed, failures so far, the scenario awaited) below the results.
final class TerminalSink: RunSink {
  private let session: RunSession
  private let log: RunLog
  private let ids: [String]
  private let progress: Bool
  private let start = Date()
  private var failed = 0
  private(set) var badInput = false

  init(session: RunSession, log: RunLog, ids: [String], progress: Bool) {
    self.session = session
    self.log = log
    self.ids = ids
    self.progress = progress
  }

  func receive(_ record: RunRecord) throws {
    if progress { print("\r\u{1B}[K", terminator: "") }
    for line in log.lines(for: record, reportPath: session.reportPath(for: record.entry.id)) { print(line) }
    switch record.item {
    case let .ran(result):
      if !result.passed { failed += 1 }
      for side in [result.v1, result.v2] {
        if case let .failed(error) = side.outcome, error.isSyntaxError {
          printError(error.rendered)
          badInput = true
        }
      }
    case let .invalid(error):
      failed += 1
      printError(error.description)
      badInput = true
    }
    if progress && record.index + 1 < ids.count {
      let line = RunLog.progress(
        done: record.index + 1, total: ids.count, seconds: Date().timeIntervalSince(start), failed: failed,
        running: ids[record.index + 1])
      print(line, terminator: "")
      fflush(nil)
    }
  }

  func finish(_ records: [RunRecord], summary: RunSummary) throws {
    if progress { print("\r\u{1B}[K", terminator: "") }
    print(summary.line)
    let failing = records.compactMap(\.result).filter { !$0.passed }
    if let first = failing.first?.scenario.id {
      print("reproduce a failure: lockstep run \(first)   (full report: lockstep report \(first))")
    }
    if failing.contains(where: { !$0.baseline.isMatch }) {
      print("record a baseline change: lockstep baseline update ID, then lockstep baseline review and accept")
    }
    let rate = summary.seconds > 0 ? Double(records.count) / summary.seconds : 0
    print(String(format: "time %.2f s, %.1f scenarios/s", summary.seconds, rate))
  }
}
