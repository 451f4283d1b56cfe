import Foundation
import PythonRuntime
import PythonSyntax
import Testing

@testable import Harness

/// A deterministic mutation fuzzer over the YAML loader, the lexer, the parser and the
/// interpreter. Seeds are the bundled scenario files; each iteration applies a few byte and
/// token mutations drawn from a fixed-seed PRNG, then runs the result through the harness's
/// public API. Nothing may crash, and every failure must be a located error
/// (`path:line:col: error: …`).
///
/// `LOCKSTEP_FUZZ_ITERATIONS` (default 150) and `LOCKSTEP_FUZZ_SEED` (default 1) set the run;
/// with `LOCKSTEP_FUZZ_DIR` set, each input is written to `DIR/current.yaml` before it runs
/// (what a crash leaves behind) and each finding to `DIR/finding-<n>.yaml`.
@Suite struct FuzzTests {
  static let environment = ProcessInfo.processInfo.environment
  static let iterations = environment["LOCKSTEP_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 150
  static let seed = environment["LOCKSTEP_FUZZ_SEED"].flatMap { UInt64($0) } ?? 1
  static let outputDirectory = environment["LOCKSTEP_FUZZ_DIR"]

  /// Fragments spliced into inputs: YAML and Python syntax, bad bytes, and things limits catch.
  static let tokens: [String] = [
    ":", ": ", "|", ">", "-", "- ", "\t", "  ", "    ", "\n", "\r\n", "[", "]", "{", "}", "(", ")", ",", "'", "\"",
    "'''", "\"\"\"", "#", "&a", "*a", "!!str ", "---", "...", "<<<<<<< HEAD\n", "=======\n", "outputs: 5\n",
    "outputs: [nothing]\n", "tolerance: {rtol: 1}\n", "expect: maybe\n", "profile: \"0.1\"\n", "summary: \n", "v1: |\n",
    "\\", "\\n", "\u{0}", "\u{FEFF}", "é", "∑", "lambda", "def f(", "return", "yield", "class",
    "while True:\n    pass\n",
    "import os\n", "open('x')", "__class__", ".__dict__", "**", "//", "@", "=", "==", "not ", " if ", " else ", "1e309",
    "-0.0", "0x", "1_000", "9999999999999999999999", "[1] * 100000000", "tf.zeros([100000, 100000])",
    "tf.constant(", "tf.compat.v1.", "np.", "print(", "global x\n", "del ", "raise ", "try:\n", "except:\n", "*args",
  ]

  /// SplitMix64: small, fast, and the same sequence on every platform.
  struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static let seeds: [(id: String, bytes: [UInt8])] = Workspace(root: repositoryRoot).allScenarios().compactMap {
    entry in FileManager.default.contents(atPath: entry.path).map { (entry.id, Array($0)) }
  }

  static func mutate(_ input: [UInt8], using rng: inout Generator) -> [UInt8] {
    var bytes = input
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
      let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &rng)
      switch Int.random(in: 0..<8, using: &rng) {
      case 0 where position < bytes.count:  // flip a bit
        bytes[position] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
      case 1 where position < bytes.count:  // an arbitrary byte
        bytes[position] = UInt8.random(in: 0...255, using: &rng)
      case 2 where position < bytes.count:  // delete a range
        bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...16, using: &rng)))
      case 3 where position < bytes.count:  // duplicate a range
        let range = position..<min(bytes.count, position + Int.random(in: 1...32, using: &rng))
        bytes.insert(contentsOf: bytes[range], at: Int.random(in: 0...bytes.count, using: &rng))
      case 4:  // a line from another seed
        let other = seeds.randomElement(using: &rng)!.bytes.split(separator: 10, omittingEmptySubsequences: false)
        bytes.insert(contentsOf: Array(other.randomElement(using: &rng)!) + [10], at: position)
      case 5 where !bytes.isEmpty:  // remove a line
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
        lines.remove(at: Int.random(in: 0..<lines.count, using: &rng))
        bytes = Array(lines.joined(separator: [10]))
      default:  // a token
        bytes.insert(contentsOf: Array(tokens.randomElement(using: &rng)!.utf8), at: position)
      }
    }
    return bytes
  }

  /// `path:line:col: error: ` at the start of a message.
  static func isLocated(_ message: Substring, path: String) -> Bool {
    guard message.hasPrefix(path + ":") else { return false }
    let parts = message.dropFirst(path.count + 1).split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
    return parts.count == 3 && Int(parts[0]) != nil && Int(parts[1]) != nil && parts[2].hasPrefix(" error: ")
  }

  /// Runs one input through loader, lexer, parser and interpreter; returns what was wrong, if
  /// anything.
  /// How far inputs got: refused by the loader, by the lexer or parser, failed at run time, ran.
  struct Stages { var load = 0, syntax = 0, runtime = 0, completed = 0 }
  nonisolated(unsafe) static var stages = Stages()

  static func check(_ bytes: [UInt8], path: String) -> String? {
    var scenario: Scenario
    do throws(ScenarioError) {
      if let text = String(validating: bytes, as: UTF8.self) {
        scenario = try ScenarioLoader.parse(text: text, path: path, id: "fuzz")
      } else {
        let file = NSTemporaryDirectory() + "lockstep-fuzz-\(getpid()).yaml"
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: file) }
        do {
          scenario = try ScenarioLoader.load(path: file, id: "fuzz")
        } catch {
          stages.load += 1
          return isLocated(Substring(error.description), path: file) ? nil : "unlocated: \(error.description)"
        }
      }
    } catch {
      stages.load += 1
      return isLocated(Substring(error.description), path: path) ? nil : "unlocated: \(error.description)"
    }
    return checkPrograms(scenario, path: path)
  }

  /// Lexes, parses and runs both programs of a loaded scenario.
  static func checkPrograms(_ scenario: Scenario, path: String) -> String? {
    for program in [scenario.v1, scenario.v2] {
      do {
        _ = try Lexer.tokenize(program.text)
        _ = try Parser.parse(program.text)
      } catch {
        let rendered = error.rendered(in: program)
        if !isLocated(rendered.prefix { $0 != "\n" }, path: path) { return "unlocated syntax error: \(rendered)" }
      }
    }
    let result = ScenarioRunner.run(scenario, baselines: nil, limits: RunLimits(maxSteps: 2_000, maxCallDepth: 40))
    switch (result.v1.outcome, result.v2.outcome) {
    case (.completed, .completed): stages.completed += 1
    case (.failed(let error), _), (_, .failed(let error)):
      if error.isSyntaxError { stages.syntax += 1 } else { stages.runtime += 1 }
    }
    for side in [result.v1, result.v2] {
      guard case let .failed(error) = side.outcome else { continue }
      if !isLocated(error.rendered.prefix { $0 != "\n" }, path: path) {
        return "unlocated \(error.type): \(error.rendered)"
      }
    }
    return nil
  }

  @Test("the fuzzer's oracle accepts only `path:line:col: error: ` at the start")
  func oracle() {
    #expect(Self.isLocated("a/b.yaml:3:14: error: x", path: "a/b.yaml"))
    #expect(!Self.isLocated("a/b.yaml: error: x", path: "a/b.yaml"))
    #expect(!Self.isLocated("a/b.yaml:3: error: x", path: "a/b.yaml"))
    #expect(!Self.isLocated("c.yaml:3:14: error: x", path: "a/b.yaml"))
    #expect(!Self.isLocated("a/b.yaml:3:14: warning: x", path: "a/b.yaml"))
  }

  /// The seeds that load, for mutating programs without breaking the YAML around them.
  static let loadedSeeds: [Scenario] = seeds.compactMap { seed in
    try? ScenarioLoader.parse(text: String(decoding: seed.bytes, as: UTF8.self), path: "\(seed.id).yaml", id: seed.id)
  }

  /// A seed scenario whose v1 or v2 program text is mutated (valid UTF-8 kept), so more inputs
  /// reach the lexer, parser and interpreter than whole-file mutations let through.
  static func mutateProgram(using rng: inout Generator) -> (Scenario, [UInt8]) {
    var scenario = loadedSeeds.randomElement(using: &rng)!
    let side = Bool.random(using: &rng)
    let program = side ? scenario.v1 : scenario.v2
    let mutated = String(decoding: mutate(Array(program.text.utf8), using: &rng), as: UTF8.self)
    let file = SourceFile(
      path: program.path, text: mutated, firstLine: program.lineOffset + 1, indent: program.columnOffset)
    if side { scenario.v1 = file } else { scenario.v2 = file }
    return (scenario, Array(mutated.utf8))
  }

  @Test("mutated scenario files fail with located errors, never a crash")
  func fuzz() throws {
    #expect(!Self.seeds.isEmpty)
    var rng = Generator(state: Self.seed)
    var findings: [String] = []
    let start = Date()
    for iteration in 0..<Self.iterations {
      let seed = Self.seeds.randomElement(using: &rng)!
      // Every other input mutates one program of a scenario that loads; the rest, whole files.
      let programOnly = iteration % 2 == 1 ? Self.mutateProgram(using: &rng) : nil
      let input = programOnly?.1 ?? Self.mutate(seed.bytes, using: &rng)
      if let directory = Self.outputDirectory {
        _ = FileManager.default.createFile(atPath: directory + "/current.yaml", contents: Data(input))
      }
      if let (scenario, _) = programOnly {
        guard let finding = Self.checkPrograms(scenario, path: scenario.path) else { continue }
        findings.append("iteration \(iteration) (program of \(scenario.id)): \(finding)")
        if let directory = Self.outputDirectory {
          print("fuzz: finding \(findings.count): \(findings.last!)")
          _ = FileManager.default.createFile(atPath: directory + "/finding-\(findings.count).py", contents: Data(input))
        }
        continue
      }
      if let directory = Self.outputDirectory, iteration % 1000 == 0 {
        print(
          "fuzz: iteration \(iteration), \(Int(Date().timeIntervalSince(start))) s, \(findings.count) findings; "
            + "refused by the loader \(Self.stages.load), syntax errors \(Self.stages.syntax), "
            + "run-time errors \(Self.stages.runtime), ran \(Self.stages.completed)")
      }
      guard let finding = Self.check(input, path: "\(seed.id).yaml") else { continue }
      findings.append("iteration \(iteration) (seed \(seed.id)): \(finding)")
      if let directory = Self.outputDirectory {
        print("fuzz: finding \(findings.count): \(findings.last!)")
        _ = FileManager.default.createFile(atPath: directory + "/finding-\(findings.count).yaml", contents: Data(input))
      }
      if findings.count >= 200 { break }
    }
    if Self.outputDirectory != nil {
      print(
        "fuzz: \(Self.iterations) iterations in \(Int(Date().timeIntervalSince(start))) s, \(findings.count) findings")
    }
    for finding in findings { Issue.record(Comment(rawValue: finding)) }
  }
}
