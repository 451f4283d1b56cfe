import ArgumentParser
import Foundation
import Harness

extension Lockstep {
  /// `lockstep report ID`: runs one scenario and prints its report.
  struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "report", abstract: "Run one scenario and print its full text report.")

    @OptionGroup var common: CommonOptions

    @Argument(help: "A scenario id or path.")
    var scenario: String

    func run() throws {
      let limits: RunLimits
      do {
        limits = try RunLimits.resolve(environment: ProcessInfo.processInfo.environment)
      } catch {
        printError("error: \(error)")
        throw ExitStatus.badInput.code
      }
      let session = RunSession(workspace: common.workspace, limits: limits)
      let records: [RunRecord]
      do {
        records = try session.run(try common.load([scenario], filter: nil), sinks: [ReportWriter(session: session)])
      } catch {
        printError("\(error)")
        throw ExitStatus.badInput.code
      }
      for record in records {
        switch record.item {
        case let .ran(result):
          print(Report.render(result), terminator: "")
          if result.hasSyntaxError { throw ExitStatus.badInput.code }
          if !result.passed { throw ExitStatus.failed.code }
        case let .invalid(error):
          printError(error.rendered)
          throw ExitStatus.badInput.code
        }
      }
    }
  }

  /// `lockstep list`: the bundled scenarios.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List the bundled scenarios with their expectation and summary.")

    @OptionGroup var common: CommonOptions

    @Option(
      help: ArgumentHelp(
        "Only scenarios whose id, a tag or source contains PATTERN (or matches it, with * wildcards).",
        valueName: "pattern"))
    var filter: String?

    func run() throws {
      var bad = false
      for selected in try common.load([], filter: filter) {
        switch selected.scenario {
        case let .success(scenario):
          let tags = scenario.tags.isEmpty ? "" : "  {\(scenario.tags.joined(separator: ", "))}"
          print("\(scenario.id)  [\(scenario.expect.rawValue)]  \(scenario.summary)\(tags)")
        case let .failure(error):
          printError(error.rendered)
          bad = true
        }
      }
      if bad { throw ExitStatus.badInput.code }
    }
  }
}
