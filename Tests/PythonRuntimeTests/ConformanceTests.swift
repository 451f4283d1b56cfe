import Foundation
import PythonSyntax
import Testing

@testable import PythonRuntime

/// One program of the conformance corpus with the output CPython 3.11 gives for it
/// (recorded by `Tools/record_conformance.py`), or, for a Lockstep-only program, the output
/// written by hand.
struct ConformanceProgram: Sendable, CustomTestStringConvertible {
  /// The topic file, without extension.
  let topic: String
  /// The program's name in its file.
  let name: String
  let source: String
  /// The expected stdout; an uncaught error is its last line.
  let expected: String
  /// Whether CPython would run it differently on purpose (a sandbox refusal); errors then
  /// carry their `line:col`.
  let lockstepOnly: Bool
  /// The line of the topic file the program starts at, for failure messages.
  let line: Int

  var testDescription: String { "\(topic)/\(name)" }

  /// Every program of every topic file under `Conformance/`.
  static func corpus() -> [ConformanceProgram] {
    guard let directory = Bundle.module.url(forResource: "Conformance", withExtension: nil),
      let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
    else { return [] }
    return files.filter { $0.pathExtension == "txt" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
      .flatMap { file in
        parse(
          (try? String(contentsOf: file, encoding: .utf8)) ?? "", topic: file.deletingPathExtension().lastPathComponent)
      }
  }

  /// Splits a topic file: `=== name [lockstep-only]`, the source, `--- output`, the output.
  static func parse(_ text: String, topic: String) -> [ConformanceProgram] {
    var programs: [ConformanceProgram] = []
    var header: (name: String, lockstepOnly: Bool, line: Int)?
    var source: [Substring] = []
    var output: [Substring] = []
    var inOutput = false
    func finish() {
      guard let header else { return }
      programs.append(
        ConformanceProgram(
          topic: topic, name: header.name, source: source.joined(separator: "\n") + "\n",
          expected: output.joined(separator: "\n").trimmingTrailingNewlines, lockstepOnly: header.lockstepOnly,
          line: header.line))
    }
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if line.hasPrefix("=== ") {
        finish()
        var name = line.dropFirst(4).trimmingCharacters(in: .whitespaces)
        let lockstepOnly = name.hasSuffix("[lockstep-only]")
        if lockstepOnly { name = name.dropLast("[lockstep-only]".count).trimmingCharacters(in: .whitespaces) }
        header = (name, lockstepOnly, index + 1)
        (source, output, inOutput) = ([], [], false)
      } else if line == "--- output" && !inOutput {
        inOutput = true
      } else if inOutput {
        output.append(line)
      } else {
        source.append(line)
      }
    }
    finish()
    return programs
  }

  /// What Lockstep prints for the program, with an uncaught error as the last line.
  func run() -> String {
    let library = StandardLibrary()
    let interpreter = Interpreter { name throws(RuntimeError) in
      if let module = library.module(name) { return module }
      throw .exception("ModuleNotFoundError", "No module named '\(name)'")
    }
    var error: String?
    do {
      try interpreter.run(try Parser.parse(source))
    } catch let failure as RuntimeError {
      error = failure.message
      if lockstepOnly, let location = failure.location { error = "\(location): \(failure.message)" }
    } catch let failure as SyntaxError {
      error = failure.message
      if lockstepOnly { error = "\(failure.at): \(failure.message)" }
    } catch {
      Issue.record("unexpected error \(error)")
    }
    var output = interpreter.output
    if let error {
      if !output.isEmpty && !output.hasSuffix("\n") { output += "\n" }
      output += error
    }
    return output.trimmingTrailingNewlines
  }
}

extension StringProtocol {
  fileprivate var trimmingTrailingNewlines: String {
    var text = String(self)
    while text.hasSuffix("\n") { text.removeLast() }
    return text
  }
}

@Suite struct ConformanceTests {
  static let programs = ConformanceProgram.corpus()

  @Test("the corpus is there")
  func corpusLoads() {
    #expect(Self.programs.count > 0)
  }

  @Test("each program prints what CPython 3.11 prints", arguments: programs)
  func conformance(_ program: ConformanceProgram) {
    let actual = program.run()
    #expect(
      actual == program.expected,
      "\(program.topic).txt:\(program.line) \(program.name)\n--- expected\n\(program.expected)\n--- actual\n\(actual)")
  }
}
