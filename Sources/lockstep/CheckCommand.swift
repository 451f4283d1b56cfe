import ArgumentParser
import Foundation
import Harness
import TFModel

extension Lockstep {
  /// `lockstep check`: lists the TensorFlow and NumPy APIs each program references, without
  /// running anything.
  struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "List every TF/NumPy API each program references and whether Lockstep supports it, without running.",
      discussion: """
        Each API is resolved through the program's imports and aliases (`import tensorflow.compat.v1 as tf`, \
        `from tensorflow import keras`, `import numpy as np`) and marked supported, unsupported (TensorFlow \
        has it, Lockstep does not model it: the program stops there) or not in TF (this profile's TensorFlow \
        or NumPy has no such name). Exit codes: 0 no unsupported API; 1 a program references an unsupported \
        API; 2 bad input (a scenario file or program that cannot be read).
        """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "Scenario ids or paths to .yaml files. Default: every bundled scenario.")
    var scenarios: [String] = []

    @Option(
      help: ArgumentHelp("Only scenarios whose id, a tag or source contains PATTERN.", valueName: "pattern"))
    var filter: String?

    @Option(
      help: ArgumentHelp("Check against TensorFlow V's API instead of each scenario's profile.", valueName: "version"))
    var profile: String?

    @Option(help: ArgumentHelp("Also write the result as JSON to FILE (`-` for standard output).", valueName: "file"))
    var json: String?

    func run() throws {
      let override = try profile.map(namedProfile)
      let selection = try common.load(scenarios, filter: filter)
      if selection.isEmpty {
        printError("error: no scenario selected")
        throw ExitStatus.badInput.code
      }
      var checks: [APICheck] = []
      var badInput = false
      for selected in selection {
        switch selected.scenario {
        case let .failure(error):
          printError(error.rendered)
          badInput = true
        case let .success(scenario):
          let check = APICheck(scenario, profile: override)
          if json != "-" { print(check.rendered) }
          for side in check.sides { if let error = side.error { printError(error) } }
          badInput = badInput || check.hasError
          checks.append(check)
        }
      }
      if json != "-" { print(APICheck.summary(checks), terminator: "") }
      if let json {
        let document = APICheck.json(checks)
        if json == "-" {
          print(document, terminator: "")
        } else {
          do {
            try document.write(toFile: json, atomically: true, encoding: .utf8)
          } catch {
            printError("error: cannot write \(json): \(error.localizedDescription)")
            throw ExitStatus.badInput.code
          }
        }
      }
      if badInput { throw ExitStatus.badInput.code }
      if checks.contains(where: \.hasUnsupported) { throw ExitStatus.failed.code }
    }
  }
}
