import ArgumentParser
import Foundation
import Harness
import TFModel

/// `lockstep`: checks that TensorFlow 1 programs and their TensorFlow 2 rewrites compute
/// the same numbers.
@main
struct Lockstep: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check that a TF1 graph program and its TF2 eager rewrite compute the same numbers.",
    discussion: """
      Exit codes: 0 every selected scenario passed; 1 a scenario failed (verdict not as \
      expected, baseline missing or different); 2 bad input or usage (a scenario file that \
      cannot be read, a Python syntax error, an unknown option).
      """,
    version: ScenarioRunner.lockstepVersion,
    subcommands: [
      Run.self, Baseline.self, ReportCommand.self, CheckCommand.self, List.self, DefaultsCommand.self, Exec.self,
    ],
    defaultSubcommand: Run.self)

  /// Runs the command, mapping every failure to Lockstep's exit codes (0, 1, 2).
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let code as ExitCode {
      Foundation.exit(code.rawValue)
    } catch {
      let exitCode = Self.exitCode(for: error)
      if exitCode == .success {
        print(Self.fullMessage(for: error))
        Foundation.exit(0)
      }
      FileHandle.standardError.write(Data((Self.fullMessage(for: error) + "\n").utf8))
      Foundation.exit(ExitStatus.badInput.rawValue)
    }
  }
}

/// The process exit codes.
enum ExitStatus: Int32 {
  case passed = 0
  case failed = 1
  case badInput = 2

  var code: ExitCode { ExitCode(rawValue) }
}

/// Options every subcommand shares.
struct CommonOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("The project directory holding Scenarios/ and Baselines/.", valueName: "dir"))
  var root: String = "."

  /// The workspace, with pending baselines under `LOCKSTEP_PENDING_DIR` when it is set.
  var workspace: Workspace {
    Workspace(root: root, pendingDirectory: ProcessInfo.processInfo.environment["LOCKSTEP_PENDING_DIR"])
  }

  /// Locks the baselines for writing, printing an error and exiting 2 when another process
  /// holds them.
  func lockBaselines() throws -> BaselineLock {
    do {
      return try workspace.lockBaselines()
    } catch {
      printError(error.description)
      throw ExitStatus.badInput.code
    }
  }

  /// Resolves selectors, printing a located error and exiting 2 when one is bad.
  func select(_ selectors: [String], filter: String?) throws -> [Workspace.Entry] {
    try load(selectors, filter: filter).map(\.entry)
  }

  /// Resolves selectors and loads each file once, printing a located error and exiting 2
  /// when a selector names no scenario.
  func load(_ selectors: [String], filter: String?, shard: Shard? = nil) throws -> [Workspace.Selected] {
    do {
      return try workspace.load(selectors, filter: filter, shard: shard)
    } catch {
      printError(error.description)
      throw ExitStatus.badInput.code
    }
  }
}

/// The supported profile `version` names, printing an error and exiting 2 when there is none.
func namedProfile(_ version: String) throws -> Profile {
  guard let named = Profile.named(version) else {
    printError(
      "error: profile '\(version)' is not supported (supported: "
        + "\(Profile.supported.map(\.version).joined(separator: ", ")))")
    throw ExitStatus.badInput.code
  }
  return named
}

func printError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}
