import Foundation
import PythonSyntax
import TFModel
import Yams

/// Reads scenario files, checking every key and mapping each program block to its place in
/// the file so errors point at file lines and columns.
public enum ScenarioLoader {
  static let knownKeys = [
    "summary", "v1", "v2", "expect", "outputs", "tolerance", "profile", "tags", "source", "timeout",
  ]

  /// The largest scenario file read: 1 MiB.
  public static let maxFileSize = 1 << 20

  /// Loads the scenario at `path`, whose id is `id`.
  public static func load(path: String, id: String) throws(ScenarioError) -> Scenario {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw ScenarioError(path: path, "cannot read the file: \(error.localizedDescription)")
    }
    guard data.count <= maxFileSize else {
      throw ScenarioError(
        path: path, line: 1, column: 1,
        "the file is \(data.count) bytes; a scenario file may be at most \(maxFileSize) bytes (two short programs)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      let at = firstInvalidUTF8(Array(data))
      throw ScenarioError(
        path: path, line: at.line, column: at.column, "the file is not UTF-8 text (a byte here is not UTF-8)")
    }
    return try parse(text: text, path: path, id: id, hash: SHA256.hex(of: Array(data)))
  }

  /// Parses scenario text (exposed for tests).
  public static func parse(text: String, path: String, id: String, hash: String? = nil) throws(ScenarioError)
    -> Scenario
  {
    do {
      return try parseFields(text: text, path: path, id: id, hash: hash)
    } catch var error {
      // Keep the offending line for the caret under the message.
      if let line = error.line {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if line >= 1, line <= lines.count, !lines[line - 1].isEmpty { error.sourceLine = String(lines[line - 1]) }
      }
      throw error
    }
  }

  private static func parseFields(text: String, path: String, id: String, hash: String?) throws(ScenarioError)
    -> Scenario
  {
    let root: Node
    for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    where line.hasPrefix("<<<<<<<") || line.hasPrefix(">>>>>>>") {
      throw ScenarioError(
        path: path, line: offset + 1, column: 1,
        "unresolved merge conflict (`\(line.prefix(7))`): resolve it and remove the markers")
    }
    do {
      guard let node = try Yams.compose(yaml: text) else {
        throw ScenarioError(path: path, line: 1, column: 1, "the file is empty")
      }
      root = node
    } catch let error as ScenarioError {
      throw error
    } catch let error as YamlError {
      throw yamlError(error, path: path, text: text)
    } catch {
      throw ScenarioError(path: path, "invalid YAML: \(error)")
    }
    guard case let .mapping(mapping) = root else {
      throw located(root, path, "a scenario must be a mapping of keys (summary, v1, v2 …)")
    }
    var fields: [String: (key: Node, value: Node)] = [:]
    for (key, value) in mapping {
      guard let name = key.string else { throw located(key, path, "keys must be strings") }
      guard knownKeys.contains(name) else {
        throw located(key, path, "unknown key '\(name)' (known keys: \(knownKeys.joined(separator: ", ")))")
      }
      guard fields[name] == nil else { throw located(key, path, "duplicate key '\(name)'") }
      fields[name] = (key, value)
    }
    func required(_ name: String) throws(ScenarioError) -> Node {
      guard let field = fields[name] else {
        throw ScenarioError(path: path, line: 1, column: 1, "missing required key '\(name)'")
      }
      return field.value
    }
    func string(_ node: Node, _ name: String) throws(ScenarioError) -> String {
      guard case let .scalar(scalar) = node, !(scalar.style == .plain && looksNonString(scalar.string)) else {
        throw located(node, path, "'\(name)' must be a string")
      }
      return scalar.string
    }

    let summaryNode = try required("summary")
    let summary = try string(summaryNode, "summary")
    guard !summary.isEmpty, !summary.contains("\n") else {
      throw located(summaryNode, path, "'summary' must be one non-empty line")
    }
    let v1 = try program(try required("v1"), name: "v1", path: path, fileText: text)
    let v2 = try program(try required("v2"), name: "v2", path: path, fileText: text)

    var expect = Verdict.equivalent
    if let node = fields["expect"]?.value {
      let value = try string(node, "expect")
      guard let verdict = Verdict(rawValue: value) else {
        throw located(node, path, "'expect' must be equivalent, differ or error, not '\(value)'")
      }
      expect = verdict
    }

    var outputs: [String]?
    var outputEntries: [String: FilePlace] = [:]
    if let node = fields["outputs"]?.value {
      outputs = try stringList(node, "outputs", path: path)
      // Outputs are Python variable names: `outputs: 5` is a type error, not an output named '5'.
      let items: [Node] = if case let .sequence(sequence) = node { Array(sequence) } else { [node] }
      for item in items {
        guard case let .scalar(scalar) = item, isIdentifier(scalar.string),
          !(scalar.style == .plain && looksNonString(scalar.string))
        else {
          throw located(
            item, path, "'outputs' must be a list of variable names (`outputs: [z]`), not '\(item.string ?? "…")'")
        }
      }
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      for item in items {
        guard let name = item.string, let mark = item.mark, outputEntries[name] == nil else { continue }
        let line = mark.line <= lines.count ? String(lines[mark.line - 1]) : ""
        outputEntries[name] = FilePlace(line: mark.line, column: mark.column, text: line)
      }
      guard !(outputs!.isEmpty) else { throw located(node, path, "'outputs' must name at least one variable") }
      for (name, index) in zip(outputs!, outputs!.indices) where outputs![..<index].contains(name) {
        throw located(node, path, "'outputs' names '\(name)' twice")
      }
    }

    var profile = Profile.newest
    if let node = fields["profile"]?.value {
      guard case let .scalar(scalar) = node else {
        throw located(node, path, "'profile' must be a version such as \"2.21\"")
      }
      guard let named = Profile.named(scalar.string) else {
        throw located(
          node, path,
          "profile '\(scalar.string)' is not supported "
            + "(supported: \(Profile.supported.map(\.version).joined(separator: ", ")))"
        )
      }
      profile = named
    }

    var tags: [String] = []
    if let node = fields["tags"]?.value { tags = try stringList(node, "tags", path: path) }
    let source = try fields["source"].map { field throws(ScenarioError) in try string(field.value, "source") }

    var timeout: Double?
    if let node = fields["timeout"]?.value {
      guard case let .scalar(scalar) = node, let seconds = Double(scalar.string), seconds > 0, seconds.isFinite else {
        throw located(node, path, "'timeout' must be a positive number of seconds")
      }
      timeout = seconds
    }

    var tolerance: Tolerance?
    var perOutput: [String: Tolerance] = [:]
    if let node = fields["tolerance"]?.value {
      (tolerance, perOutput) = try tolerances(node, outputs: outputs, path: path)
    }

    return Scenario(
      id: id, path: path, summary: summary, v1: v1, v2: v2, expect: expect, outputs: outputs,
      tolerance: tolerance, outputTolerances: perOutput, profile: profile, tags: tags, source: source,
      contentHash: hash ?? SHA256.hex(of: Array(text.utf8)), timeout: timeout, outputEntries: outputEntries)
  }

  /// A program block, with its first line and indentation in the file.
  static func program(_ node: Node, name: String, path: String, fileText: String) throws(ScenarioError) -> SourceFile {
    guard case let .scalar(scalar) = node else {
      throw located(node, path, "'\(name)' must be a block of Python code (use `\(name): |`)")
    }
    let code = scalar.string
    guard !code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw located(node, path, "'\(name)' is empty")
    }
    let markLine = scalar.mark?.line ?? 1
    let markColumn = scalar.mark?.column ?? 1
    switch scalar.style {
    case .folded:
      throw located(
        node, path, "'\(name)' is a folded block (`>`), which joins lines; use a literal block (`\(name): |`)")
    case .literal:
      // The block's content starts on the line after the `|` indicator; its indentation is
      // that of the first non-blank line.
      let lines = fileText.split(separator: "\n", omittingEmptySubsequences: false)
      var firstLine = markLine + 1
      while firstLine <= lines.count, lines[firstLine - 1].trimmingCharacters(in: .whitespaces).isEmpty {
        firstLine += 1
      }
      let indent = firstLine <= lines.count ? lines[firstLine - 1].prefix { $0 == " " }.count : 0
      let leadingBlank = code.prefix { $0 == "\n" }.count
      return SourceFile(path: path, text: code, firstLine: firstLine - leadingBlank, indent: indent)
    case .singleQuoted, .doubleQuoted:
      return SourceFile(path: path, text: code, firstLine: markLine, indent: markColumn)
    default:
      return SourceFile(path: path, text: code, firstLine: markLine, indent: markColumn - 1)
    }
  }

  private static func stringList(_ node: Node, _ name: String, path: String) throws(ScenarioError) -> [String] {
    switch node {
    case let .scalar(scalar): return [scalar.string]
    case let .sequence(sequence):
      var result: [String] = []
      for item in sequence {
        guard case let .scalar(scalar) = item else { throw located(item, path, "'\(name)' must be a list of strings") }
        result.append(scalar.string)
      }
      return result
    default:
      throw located(node, path, "'\(name)' must be a list of strings")
    }
  }

  /// `tolerance: {rtol, atol}` for every output, or `tolerance: {default: {…}, name: {…}}`.
  private static func tolerances(_ node: Node, outputs: [String]?, path: String) throws(ScenarioError) -> (
    Tolerance?, [String: Tolerance]
  ) {
    guard case let .mapping(mapping) = node else {
      throw located(
        node, path, "'tolerance' must be {rtol: …, atol: …} or {default: {rtol, atol}, <output>: {rtol, atol}}")
    }
    let keys = mapping.keys.compactMap(\.string)
    if keys.contains("rtol") || keys.contains("atol") { return (try pair(node, path: path), [:]) }
    var global: Tolerance?
    var perOutput: [String: Tolerance] = [:]
    for (key, value) in mapping {
      guard let name = key.string else { throw located(key, path, "tolerance keys must be strings") }
      if name == "default" {
        global = try pair(value, path: path)
      } else {
        if let outputs, !outputs.contains(name) {
          throw located(
            key, path, "tolerance for '\(name)', which is not in 'outputs' (\(outputs.joined(separator: ", ")))")
        }
        perOutput[name] = try pair(value, path: path)
      }
    }
    return (global, perOutput)
  }

  private static func pair(_ node: Node, path: String) throws(ScenarioError) -> Tolerance {
    guard case let .mapping(mapping) = node else {
      throw located(node, path, "a tolerance must be {rtol: …, atol: …}")
    }
    var values: [String: Double] = [:]
    for (key, value) in mapping {
      guard let name = key.string, name == "rtol" || name == "atol" else {
        throw located(key, path, "unknown tolerance key '\(key.string ?? "?")' (use rtol and atol)")
      }
      guard case let .scalar(scalar) = value, let number = Double(scalar.string), number >= 0, number.isFinite else {
        throw located(value, path, "'\(name)' must be a non-negative number")
      }
      values[name] = number
    }
    guard let rtol = values["rtol"], let atol = values["atol"] else {
      throw located(node, path, "a tolerance needs both rtol and atol")
    }
    return Tolerance(rtol: rtol, atol: atol)
  }

  private static func isIdentifier(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, first == "_" || first.properties.isXIDStart else { return false }
    return text.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isXIDContinue }
  }

  /// The 1-based line and column (in characters) of the first byte that is not UTF-8.
  static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, column: Int) {
    var iterator = bytes.makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    var offset = 0
    parsing: while true {
      switch parser.parseScalar(from: &iterator) {
      case let .valid(scalar): offset += scalar.count
      case .error, .emptyInput: break parsing
      }
    }
    let lineStart = bytes[..<offset].lastIndex(of: 10).map { $0 + 1 } ?? 0
    let line = bytes[..<offset].count { $0 == 10 } + 1
    return (line, String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1)
  }

  private static func looksNonString(_ text: String) -> Bool {
    Double(text) != nil || ["true", "false", "null", "~", "yes", "no"].contains(text.lowercased())
  }

  static func located(_ node: Node, _ path: String, _ message: String) -> ScenarioError {
    ScenarioError(path: path, line: node.mark?.line, column: node.mark?.column, message)
  }

  private static func yamlError(_ error: YamlError, path: String, text: String) -> ScenarioError {
    switch error {
    case let .duplicatedKeysInMapping(duplicates, context):
      // Point at the second top-level occurrence of the first duplicated key.
      let key = duplicates.first ?? "?"
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      let occurrences = lines.indices.filter { lines[$0].hasPrefix("\(key):") }
      let line = occurrences.count > 1 ? occurrences[1] + 1 : context.mark.line
      return ScenarioError(path: path, line: line, column: 1, "duplicate key '\(key)'")
    case let .reader(problem, offset, _, _):
      // `offset` counts characters from the start of the text.
      let before = offset.map { text.prefix($0) } ?? ""
      let line = before.count { $0 == "\n" } + 1
      let column =
        before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0)
        + 1
      return ScenarioError(path: path, line: line, column: column, "invalid YAML: \(problem)")
    case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _):
      let what = [context?.text, problem].compactMap { $0 }.joined(separator: ": ")
      // An unclosed quote or bracket is reported where it opened, not at the end of the file.
      let at = problem.contains("end of stream") ? (context?.mark ?? mark) : mark
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      if at.line <= lines.count, lines[at.line - 1].dropFirst(at.column - 1).first == "\t" {
        return ScenarioError(
          path: path, line: at.line, column: at.column, "invalid YAML: a tab character; YAML indents with spaces only")
      }
      return ScenarioError(path: path, line: at.line, column: at.column, "invalid YAML: \(what)")
    case let .composer(context, problem, mark, _):
      let what = [context?.text, problem].compactMap { $0 }.joined(separator: ": ")
      return ScenarioError(path: path, line: mark.line, column: mark.column, "invalid YAML: \(what)")
    default:
      return ScenarioError(path: path, "invalid YAML: \(error)")
    }
  }
}
