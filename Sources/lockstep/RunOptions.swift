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

  @Option(
    help: ArgumentHelp(
      "Only scenarios whose scenario or baseline file changed since the git revision REF (committed, staged, "
        + "unstaged or untracked).",
      valueName: "ref"))
  var changedSince: String?

  @Option(
    help: ArgumentHelp(
      "Stop a program that runs longer than SECONDS (default: LOCKSTEP_TIMEOUT, else 60; 0 for no limit); "
        + "it is reported as an error of its scenario.",
      valueName: "seconds"))
  var timeout: String?

  @Option(
    help: ArgumentHelp(
      "Stop a program after N statements and loop iterations (default: LOCKSTEP_MAX_STEPS, else 5000000).",
      valueName: "n"))
  var maxSteps: String?

  @Option(
    help: ArgumentHelp(
      "Allow N nested calls in a program (default: LOCKSTEP_MAX_DEPTH, else 200; at most 5000).", valueName: "n"))
  var maxDepth: String?

  @Option(
    help: ArgumentHelp(
      "Let a program's tensors hold MIB mebibytes at once (default: LOCKSTEP_MEMORY_LIMIT, else 4096).",
      valueName: "mib"))
  var memoryLimit: String?

  func validate() throws {
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
  }

  /// The limits the options and environment set, printing an error and exiting 2 on a bad value.
  func limits() throws -> RunLimits {
    do {
      return try RunLimits.resolve(
        timeout: timeout, maxSteps: maxSteps, maxDepth: maxDepth, memoryMiB: memoryLimit,
        environment: ProcessInfo.processInfo.environment)
    } catch {
      printError("error: \(error)")
      throw ExitStatus.badInput.code
    }
  }

  /// The session these options describe, printing an error and exiting 2 on an unknown profile.
  func session() throws -> RunSession {
    let override = try profile.map(namedProfile)
    return RunSession(workspace: common.workspace, profile: override, jobs: jobs, limits: try limits())
  }

  /// The profile a run models, for reports: `--profile`, else the scenarios' own profiles.
  func profileProperty(of selection: [Workspace.Selected]) -> String {
    if let profile { return profile }
    let own = Set(selection.compactMap { try? $0.scenario.get().profile.version })
    return own.isEmpty ? Profile.newest.version : own.sorted().joined(separator: ", ")
  }

  /// Whether the run covers every bundled scenario (no ids, filter or shard).
  var selectsWholeSuite: Bool { scenarios.isEmpty && filter == nil && shard == nil && changedSince == nil }

  /// The selected scenarios, each loaded once.
  func selection() throws -> [Workspace.Selected] {
    let selected = try common.load(scenarios, filter: filter, shard: shard)
    guard let changedSince else { return selected }
    let changed = try changedIDs(since: changedSince)
    return selected.filter { changed.contains($0.entry.id) }
  }

  /// The ids whose `Scenarios/<id>.yaml` or `Baselines/<id>.baseline` differs from `ref`,
  /// asking git; exits 2 with git's message when git cannot answer.
  private func changedIDs(since ref: String) throws -> Set<String> {
    let paths =
      try git(["diff", "--name-only", "--relative", ref, "--", "Scenarios", "Baselines"])
      + git(["ls-files", "--others", "--exclude-standard", "--", "Scenarios", "Baselines"])
    var ids = Set<String>()
    for path in paths {
      for (folder, suffix) in [
        ("Scenarios/", ".yaml"), ("Baselines/", ".baseline"), ("Baselines/", ".baseline.pending"),
      ]
      where path.hasPrefix(folder) && path.hasSuffix(suffix) {
        ids.insert(String(path.dropFirst(folder.count).dropLast(suffix.count)))
      }
    }
    return ids
  }

  private func git(_ arguments: [String]) throws -> [String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", common.root] + arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    do {
      try process.run()
    } catch {
      printError("error: --changed-since needs git: \(error.localizedDescription)")
      throw ExitStatus.badInput.code
    }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      printError(
        "error: --changed-since: git \(arguments.first ?? "") failed: "
          + message.trimmingCharacters(in: .whitespacesAndNewlines)
      )
      throw ExitStatus.badInput.code
    }
    return text.split(separator: "\n").map(String.init)
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
      // A corrupt baseline names its file and line here, not only in the report.
      if case let .unreadable(message) = result.baseline { printError(message) }
    case let .invalid(error):
      failed += 1
      printError(error.rendered)
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
