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

    @OptionGroup var options: RunOptions

    @Option(help: ArgumentHelp("Also write the results as JSON to FILE.", valueName: "file"))
    var json: String?

    @Option(
      help: ArgumentHelp(
        "Also write the results as JUnit XML to FILE (one testcase per scenario), for CI dashboards.",
        valueName: "file"))
    var junit: String?

    @Option(
      help: ArgumentHelp(
        "Which scenarios to record as pending baselines: never, missing, failed (no longer matching) or all. "
          + "Default: LOCKSTEP_RECORD, else never; always never when CI is set.",
        valueName: "mode"))
    var record: String?

    @Flag(help: "With --record, write the baselines themselves instead of pending files.")
    var accept = false

    @Flag(name: .shortAndLong, help: "Print only failing scenarios and the summary.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print each scenario's time and a failing scenario's full report.")
    var verbose = false

    func validate() throws {
      if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
    }

    func run() throws {
      let environment = ProcessInfo.processInfo.environment
      guard let (mode, note) = RecordMode.resolve(option: record, environment: environment) else {
        printError(
          "error: record mode '\(record ?? environment["LOCKSTEP_RECORD"] ?? "")' is not one of "
            + RecordMode.allCases.map(\.rawValue).joined(separator: ", "))
        throw ExitStatus.badInput.code
      }
      if let note { print(note) }
      let session = try options.session()
      let selection = try options.selection()
      if selection.isEmpty, let ref = options.changedSince {
        print("no scenario or baseline changed since \(ref)")
        return
      }
      let onTerminal = isatty(STDOUT_FILENO) == 1
      let log = RunLog(
        verbosity: quiet ? .quiet : verbose ? .verbose : .normal,
        color: RunLog.wantsColor(isTerminal: onTerminal, environment: environment))
      let terminal = TerminalSink(
        session: session, log: log, ids: selection.map(\.entry.id), progress: onTerminal && !quiet)
      var sinks: [any RunSink] = [ReportWriter(session: session), terminal]
      if let artifacts = environment["LOCKSTEP_ARTIFACTS"], !artifacts.isEmpty {
        sinks.append(ArtifactWriter(directory: artifacts))
      }
      if let json { sinks.append(JSONSink(path: json)) }
      if let junit { sinks.append(JUnitSink(path: junit, profile: options.profileProperty(of: selection))) }
      let recorder = BaselineRecorder(
        store: session.workspace.baselines, mode: mode, accept: accept, force: false, echoErrors: false)
      var lock: BaselineLock?
      if mode != .never {
        lock = try options.common.lockBaselines()
        sinks.append(recorder)
      }
      defer { withExtendedLifetime(lock) {} }
      let records: [RunRecord]
      do {
        records = try session.run(selection, sinks: sinks)
      } catch {
        printError("\(error)")
        throw ExitStatus.badInput.code
      }
      recorder.printClosing()
      if options.selectsWholeSuite {
        let orphans = session.workspace.orphanedBaselines()
        if !orphans.isEmpty {
          print(
            "baselines without a scenario: \(orphans.joined(separator: ", ")); "
              + "remove them with `lockstep baseline prune`")
        }
      }
      if terminal.badInput { throw ExitStatus.badInput.code }
      if selection.isEmpty {
        printError("error: no scenario selected")
        throw ExitStatus.badInput.code
      }
      if RunSummary(records.map(\.item)).failed > 0 { throw ExitStatus.failed.code }
    }
  }
}
