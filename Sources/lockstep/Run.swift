import ArgumentParser
import Foundation
import Harness
import TFModel

extension Lockstep {
  /// `lockstep run`: runs scenarios and compares them with their baselines.
  struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run scenarios: both programs, v1 against v2, each against its baseline.",
      discussion: "Writes one text report per scenario under .lockstep/reports/.")

    @OptionGroup var common: CommonOptions

    @Argument(
      help: "Scenario ids (as `lockstep list` shows them) or paths to .yaml files. Default: every bundled scenario.")
    var scenarios: [String] = []

    @Option(
      help: ArgumentHelp(
        "Only scenarios whose id, a tag or source contains PATTERN (or matches it, with * wildcards).",
        valueName: "pattern"))
    var filter: String?

    @Option(
      help: ArgumentHelp("Model this TensorFlow version instead of each scenario's own profile.", valueName: "version"))
    var profile: String?

    @Option(help: ArgumentHelp("Also write the results as JSON to FILE.", valueName: "file"))
    var json: String?

    func run() throws {
      var override: Profile?
      if let profile {
        guard let named = Profile.named(profile) else {
          printError(
            "error: profile '\(profile)' is not supported (supported: \(Profile.supported.map(\.version).joined(separator: ", ")))"
          )
          throw ExitStatus.badInput.code
        }
        override = named
      }
      let entries = try common.select(scenarios, filter: filter)
      let session = RunSession(workspace: common.workspace, profile: override)
      let items = session.run(entries)
      var badInput = false
      for item in items {
        switch item {
        case let .ran(result):
          print(Report.summaryLine(result))
          for line in Report.failureDigest(result) { print("      \(line)") }
          if !result.passed { print("      report: \(session.reportPath(for: result.scenario.id))") }
          for side in [result.v1, result.v2] {
            if case let .failed(error) = side.outcome, error.isSyntaxError {
              printError(error.rendered)
              badInput = true
            }
          }
        case let .invalid(error):
          print("ERROR \(error.path)")
          printError(error.description)
          badInput = true
        }
      }
      let summary = RunSummary(items)
      print(summary.line)
      if let json {
        do {
          try JSONReport.write(items, summary: summary, to: json)
        } catch {
          printError("error: cannot write \(json): \(error)")
          throw ExitStatus.badInput.code
        }
      }
      if badInput { throw ExitStatus.badInput.code }
      if entries.isEmpty {
        printError("error: no scenario selected")
        throw ExitStatus.badInput.code
      }
      if summary.failed > 0 { throw ExitStatus.failed.code }
    }
  }
}
