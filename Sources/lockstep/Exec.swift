import ArgumentParser
import Foundation
import TFModel

import struct PythonSyntax.SourceFile

extension Lockstep {
  /// `lockstep exec FILE`: runs one Python file through Lockstep's interpreter, with
  /// TensorFlow and NumPy as a scenario's programs have them, and prints what it prints; an
  /// uncaught error is the last line, `Type: message` as CPython prints it (with `--located`,
  /// the full located error). For trying a snippet, and for differential testing against
  /// CPython (Tools/python_fuzz.py).
  struct Exec: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run one Python file through Lockstep's interpreter and print its output.",
      discussion: "Exit codes: 0 the program ran to the end; 1 it raised; 2 the file cannot be read.")

    @Option(help: ArgumentHelp("The TensorFlow version to model.", valueName: "version"))
    var profile: String = Profile.newest.version

    @Flag(help: "Print an uncaught error with its file:line:col, source line and caret.")
    var located = false

    @Argument(help: ArgumentHelp("The Python file to run (- for standard input).", valueName: "file"))
    var file: String

    func run() throws {
      guard let profile = Profile.named(profile) else {
        printError("error: Lockstep does not model TensorFlow \(self.profile)")
        throw ExitStatus.badInput.code
      }
      let data =
        file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
      guard let data, let text = String(data: data, encoding: .utf8) else {
        printError("error: cannot read \(file) as UTF-8 text")
        throw ExitStatus.badInput.code
      }
      let result = ProgramRunner.run(SourceFile(path: file, text: text), profile: profile, outputs: nil)
      FileHandle.standardOutput.write(Data(result.printed.utf8))
      guard case let .failed(error) = result.outcome else { return }
      if !result.printed.isEmpty && !result.printed.hasSuffix("\n") { print() }
      print(located ? error.rendered : "\(error.type): \(error.message)")
      throw ExitStatus.failed.code
    }
  }
}
