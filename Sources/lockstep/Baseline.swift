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
        Refuses to write when the CI environment variable is set, and refuses to record a \
        scenario Lockstep cannot run (unsupported API, limit, or nothing compared).
        """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "Scenario ids or paths. Default: every bundled scenario.")
    var scenarios: [String] = []

    @Option(help: ArgumentHelp("Only scenarios whose id, a tag or source contains PATTERN (or matches it, with * wildcards).", valueName: "pattern"))
    var filter: String?

    func run() throws {
      if ProcessInfo.processInfo.environment["CI"] != nil {
        printError("error: refusing to write baselines while CI is set; record them locally and commit them")
        throw ExitStatus.badInput.code
      }
      let entries = try common.select(scenarios, filter: filter)
      let store = common.workspace.baselines
      var failed = false
      var refused = false
      for entry in entries {
        let scenario: Scenario
        do {
          scenario = try ScenarioLoader.load(path: entry.path, id: entry.id)
        } catch {
          printError(error.description)
          failed = true
          continue
        }
        let result = ScenarioRunner.run(scenario, baselines: nil)
        if result.hasSyntaxError {
          for side in [result.v1, result.v2] {
            if case let .failed(error) = side.outcome, error.isSyntaxError { printError(error.rendered) }
          }
          failed = true
          continue
        }
        if let problem = result.problems.first {
          // A baseline records what TensorFlow does; a run Lockstep could not complete says nothing.
          print("refused    \(entry.id)  (\(problem))")
          refused = true
          continue
        }
        let new = ScenarioRunner.baseline(of: result)
        let status: String
        switch store.read(entry.id) {
        case .missing, .unreadable:
          status = "new"
        case let .found(old):
          if old.sameResults(as: new) {
            print("unchanged  \(entry.id)")
            continue
          }
          status = "changed    " + BaselineDiff.describe(old, new)
        }
        do {
          try store.write(new, for: entry.id)
        } catch {
          printError("error: \(error)")
          failed = true
          continue
        }
        print(status.hasPrefix("new") ? "new        \(entry.id)" : status.replacingOccurrences(of: "changed    ", with: "changed    \(entry.id)  "))
      }
      if failed { throw ExitStatus.badInput.code }
      if refused { throw ExitStatus.failed.code }
    }
  }
}
