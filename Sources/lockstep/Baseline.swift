import ArgumentParser
import Foundation
import Harness
import TFModel

extension Lockstep {
  /// `lockstep baseline …`.
  struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Record and refresh baselines.", subcommands: [Update.self])
  }
}

extension Lockstep.Baseline {
  /// `lockstep baseline update`: records what each scenario computes now.
  struct Update: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Record or refresh baselines, printing new / unchanged / changed per scenario.",
      discussion: """
        Runs the scenarios as `lockstep run` does (same selection, --profile and --jobs) and records \
        each one's outcome. Refuses to write when the CI environment variable is set, refuses to \
        record a scenario Lockstep cannot run (unsupported API, limit, or nothing compared), and one \
        whose verdict contradicts its `expect` unless --force is given (exit 1 when any is refused).
        """)

    @OptionGroup var options: RunOptions

    @Flag(help: "Record scenarios whose verdict contradicts their `expect` too.")
    var force = false

    func run() throws {
      if ProcessInfo.processInfo.environment["CI"] != nil {
        printError("error: refusing to write baselines while CI is set; record them locally and commit them")
        throw ExitStatus.badInput.code
      }
      let session = try options.session()
      let recorder = BaselineRecorder(store: session.workspace.baselines, force: force)
      do {
        try session.run(try options.selection(), sinks: [recorder])
      } catch {
        printError("\(error)")
        throw ExitStatus.badInput.code
      }
      if recorder.badInput { throw ExitStatus.badInput.code }
      if !recorder.contradicting.isEmpty {
        printError(
          "error: not recorded, the verdict contradicts `expect` in: \(recorder.contradicting.joined(separator: ", ")); "
            + "fix the scenario or its expectation, or record anyway with --force")
      }
      if recorder.refused { throw ExitStatus.failed.code }
    }
  }
}

/// Records each scenario's outcome as its baseline, printing new / unchanged / changed /
/// refused per scenario.
final class BaselineRecorder: RunSink {
  private let store: BaselineStore
  private(set) var badInput = false
  private(set) var refused = false
  /// Scenarios not recorded because their verdict contradicts their `expect`.
  private(set) var contradicting: [String] = []
  private let force: Bool

  init(store: BaselineStore, force: Bool) {
    self.store = store
    self.force = force
  }

  func receive(_ record: RunRecord) throws {
    let result: ScenarioResult
    switch record.item {
    case let .invalid(error):
      printError(error.description)
      badInput = true
      return
    case let .ran(ran):
      result = ran
    }
    let id = result.scenario.id
    if result.hasSyntaxError {
      for side in [result.v1, result.v2] {
        if case let .failed(error) = side.outcome, error.isSyntaxError { printError(error.rendered) }
      }
      badInput = true
      return
    }
    if let problem = result.problems.first {
      // A baseline records what TensorFlow does; a run Lockstep could not complete says nothing.
      print("refused    \(id)  (\(problem))")
      refused = true
      return
    }
    if result.verdict != result.scenario.expect && !force {
      print(
        "refused    \(id)  (verdict \(result.verdict.rawValue) contradicts expect: \(result.scenario.expect.rawValue))")
      contradicting.append(id)
      refused = true
      return
    }
    let new = ScenarioRunner.baseline(of: result)
    var status = "new        \(id)"
    if case let .found(old) = store.read(id) {
      if old.sameResults(as: new) {
        print("unchanged  \(id)")
        return
      }
      status = "changed    \(id)  " + BaselineDiff.describe(old, new)
    }
    do {
      try store.write(new, for: id)
    } catch {
      printError("error: \(error)")
      badInput = true
      return
    }
    print(status)
  }
}
