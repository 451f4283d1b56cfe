import ArgumentParser
import Foundation
import Harness
import TFModel

extension Lockstep {
  /// `lockstep baseline …`.
  struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Record, review, accept and reject baselines.",
      discussion: """
        `update` records what each scenario computes now as pending files (<id>.baseline.pending, beside \
        the baseline or under LOCKSTEP_PENDING_DIR); `review` shows how each pending file differs from \
        the baseline; `accept` makes pending files the baselines and `reject` deletes them.
        """,
      subcommands: [Update.self, Review.self, Accept.self, Reject.self, Prune.self])
  }
}

extension Lockstep.Baseline {
  /// `lockstep baseline update`: records what each scenario computes now.
  struct Update: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Record or refresh baselines as pending files, printing new / unchanged / changed per scenario.",
      discussion: """
        Runs the scenarios as `lockstep run` does (same selection, --profile and --jobs) and records \
        each one's outcome as a pending baseline for `lockstep baseline review` (or as the baseline \
        with --accept). Refuses to write when the CI environment variable is set, refuses to record a \
        scenario Lockstep cannot run (unsupported API, limit, or nothing compared), and one whose \
        verdict contradicts its `expect` unless --force is given (exit 1 when any is refused).
        """)

    @OptionGroup var options: RunOptions

    @Flag(help: "Record scenarios whose verdict contradicts their `expect` too.")
    var force = false

    @Flag(help: "Write the baselines themselves instead of pending files.")
    var accept = false

    func run() throws {
      if ProcessInfo.processInfo.environment["CI"] != nil {
        printError("error: refusing to write baselines while CI is set; record them locally and commit them")
        throw ExitStatus.badInput.code
      }
      let lock = try options.common.lockBaselines()
      defer { withExtendedLifetime(lock) {} }
      let session = try options.session()
      let recorder = BaselineRecorder(
        store: session.workspace.baselines, mode: .all, accept: accept, force: force, echoErrors: true)
      do {
        try session.run(try options.selection(), sinks: [recorder])
      } catch {
        printError("\(error)")
        throw ExitStatus.badInput.code
      }
      recorder.printClosing()
      if recorder.badInput { throw ExitStatus.badInput.code }
      if recorder.refused { throw ExitStatus.failed.code }
    }
  }

  /// `lockstep baseline review`: how each pending baseline differs from the baseline.
  struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show, per pending baseline and output, how it differs from the current baseline.")

    @OptionGroup var pending: PendingSelection

    func run() throws {
      let store = pending.common.workspace.baselines
      let ids = try pending.ids()
      for id in ids {
        guard case let .found(new) = store.readPending(id) else {
          printError("\(store.pendingPath(for: id)): error: cannot read the pending baseline")
          throw ExitStatus.badInput.code
        }
        var current: Harness.Baseline?
        if case let .found(old) = store.read(id) { current = old }
        for line in BaselineDiff.review(id: id, current: current, pending: new) { print(line) }
      }
      print(
        ids.isEmpty
          ? "no pending baselines"
          : "\(ids.count) pending; apply with `lockstep baseline accept [ID …]` "
            + "or drop with `lockstep baseline reject`"
      )
    }
  }

  /// `lockstep baseline accept`: pending baselines become the baselines.
  struct Accept: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Make pending baselines the baselines.")

    @OptionGroup var pending: PendingSelection

    func run() throws {
      try pending.apply("accepted") { store, id in try store.accept(id) }
    }
  }

  /// `lockstep baseline reject`: pending baselines are deleted.
  struct Reject: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete pending baselines.")

    @OptionGroup var pending: PendingSelection

    func run() throws {
      try pending.apply("rejected") { store, id in try store.reject(id) }
    }
  }
}

extension Lockstep.Baseline {
  /// `lockstep baseline prune`: removes baselines whose scenario is gone.
  struct Prune: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Remove baselines (and pending files) that have no scenario under Scenarios/.")

    @OptionGroup var common: CommonOptions

    func run() throws {
      if ProcessInfo.processInfo.environment["CI"] != nil {
        printError("error: refusing to remove baselines while CI is set")
        throw ExitStatus.badInput.code
      }
      let lock = try common.lockBaselines()
      defer { withExtendedLifetime(lock) {} }
      let workspace = common.workspace
      let orphans = workspace.orphanedBaselines()
      for id in orphans {
        do {
          try workspace.baselines.remove(id)
        } catch {
          printError("\(workspace.baselines.path(for: id)): error: cannot remove: \(error.localizedDescription)")
          throw ExitStatus.badInput.code
        }
        print("removed  \(id)")
      }
      if orphans.isEmpty { print("no baseline without a scenario") }
    }
  }
}

/// Which pending baselines `review`, `accept` and `reject` act on: the ids given, else every
/// pending one, narrowed by --filter.
struct PendingSelection: ParsableArguments {
  @OptionGroup var common: CommonOptions

  @Argument(help: "Scenario ids. Default: every pending baseline.")
  var scenarios: [String] = []

  @Option(help: ArgumentHelp("Only ids containing PATTERN (or matching it, with * wildcards).", valueName: "pattern"))
  var filter: String?

  /// The selected pending ids; an id given without a pending baseline is an error (exit 2).
  func ids() throws -> [String] {
    let store = common.workspace.baselines
    let pending = store.pendingIDs()
    for id in scenarios where !pending.contains(id) {
      printError("\(store.pendingPath(for: id)): error: no pending baseline for \(id)")
      throw ExitStatus.badInput.code
    }
    let chosen = scenarios.isEmpty ? pending : scenarios
    return chosen.filter { id in filter.map { Workspace.matches($0, id) } ?? true }
  }

  /// Applies `action` to each selected id, printing `verb  id`.
  func apply(_ verb: String, _ action: (BaselineStore, String) throws -> Void) throws {
    let lock = try common.lockBaselines()
    defer { withExtendedLifetime(lock) {} }
    let store = common.workspace.baselines
    for id in try ids() {
      do {
        try action(store, id)
      } catch {
        printError("error: \(id): \(error)")
        throw ExitStatus.badInput.code
      }
      print("\(verb)  \(id)")
    }
  }
}

/// Records scenarios' outcomes as pending baselines (or baselines, with `accept`) as a run
/// produces them, printing new / unchanged / changed / refused per recorded scenario.
final class BaselineRecorder: RunSink {
  private let store: BaselineStore
  private let mode: RecordMode
  private let accept: Bool
  private let force: Bool
  /// Whether bad input is printed here (`baseline update`) or by another sink (`run`'s lines).
  private let echoErrors: Bool
  private(set) var badInput = false
  private(set) var refused = false
  /// Scenarios not recorded because their verdict contradicts their `expect`.
  private(set) var contradicting: [String] = []
  private var pendingWritten = 0

  init(store: BaselineStore, mode: RecordMode, accept: Bool, force: Bool, echoErrors: Bool) {
    self.store = store
    self.mode = mode
    self.accept = accept
    self.force = force
    self.echoErrors = echoErrors
  }

  func receive(_ record: RunRecord) throws {
    let result: ScenarioResult
    switch record.item {
    case let .invalid(error):
      if echoErrors { printError(error.rendered) }
      badInput = true
      return
    case let .ran(ran):
      result = ran
    }
    let id = result.scenario.id
    let recording: BaselineRecording
    do {
      recording = try BaselineRecording.record(result, in: store, mode: mode, accept: accept, force: force)
    } catch {
      printError("error: \(error)")
      badInput = true
      return
    }
    switch recording {
    case .badInput:
      for side in [result.v1, result.v2] {
        if case let .failed(error) = side.outcome, error.isSyntaxError, echoErrors { printError(error.rendered) }
      }
      badInput = true
    case .refused: refused = true
    case .contradicts:
      contradicting.append(id)
      refused = true
    case .new(pending: true), .changed(pending: true, _): pendingWritten += 1
    case .skipped, .unchanged, .new, .changed: break
    }
    if let line = recording.line(id: id) { print(line) }
  }

  /// The closing lines: scenarios refused for contradicting `expect`, and how to review.
  func printClosing() {
    if !contradicting.isEmpty {
      printError(
        "error: not recorded, the verdict contradicts `expect` in: \(contradicting.joined(separator: ", ")); "
          + "fix the scenario or its expectation, or record anyway with --force")
    }
    if pendingWritten > 0 {
      print(
        "\(pendingWritten) pending baseline\(pendingWritten == 1 ? "" : "s"): review with `lockstep baseline review`, "
          + "then `lockstep baseline accept` (or `reject`)")
    }
  }
}
