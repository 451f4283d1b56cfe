import Foundation
import PythonSyntax
import TFModel
import TensorCore

/// The `--json` output, as `docs/lockstep-run.schema.json` describes it: the summary counts,
/// then per scenario the verdict, the comparison of each output (v1 against v2, and against
/// the baseline), each side's outputs or error, and the defaults it relied on. Every line and
/// column is in the scenario file, as in the text reports.
///
/// The document is written straight into one byte buffer, so its cost is linear in the size
/// of the outputs.
public enum JSONReport {
  /// The schema's version, written as `format`.
  public static let formatVersion = 1

  /// Renders the items and their summary as a JSON document.
  public static func render(_ items: [RunSession.Item], summary: RunSummary) -> String {
    String(decoding: encode(items, summary: summary), as: UTF8.self)
  }

  /// The document as bytes to write.
  public static func data(_ items: [RunSession.Item], summary: RunSummary) -> Data {
    Data(encode(items, summary: summary))
  }

  /// The document's UTF-8 bytes.
  static func encode(_ items: [RunSession.Item], summary: RunSummary) -> [UInt8] {
    let capacity = items.reduce(1 << 12) { total, item in total + 24 * valueCount(item) }
    var json = JSONWriter(reservingCapacity: capacity)
    json.beginObject()
    json.member("format", formatVersion)
    json.member("lockstepVersion", ScenarioRunner.lockstepVersion)
    json.key("summary")
    json.beginObject()
    json.member("total", items.count)
    json.member("passed", summary.passed)
    json.member("failed", summary.failed)
    json.member("errors", summary.errors)
    json.member("missingBaselines", summary.missingBaselines)
    json.member("driftWithinTolerance", summary.drifted)
    json.endObject()
    json.key("scenarios")
    json.beginArray()
    for item in items { scenario(item, into: &json) }
    json.endArray()
    json.endObject()
    json.newlineAtEnd()
    return json.bytes
  }

  private static func valueCount(_ item: RunSession.Item) -> Int {
    guard case let .ran(result) = item else { return 0 }
    return [result.v1, result.v2].reduce(0) { total, side in
      guard case let .completed(outputs) = side.outcome else { return total }
      return outputs.reduce(total) { sum, output in
        if case let .tensor(tensor) = output.value { return sum + tensor.scalarCount }
        return sum
      }
    }
  }

  private static func scenario(_ item: RunSession.Item, into json: inout JSONWriter) {
    json.beginObject()
    switch item {
    case let .invalid(error):
      json.member("id", nil)
      json.member("path", error.path)
      json.member("status", "invalid")
      json.member("passed", false)
      json.key("error")
      json.beginObject()
      json.member("type", "ScenarioError")
      json.member("message", error.message)
      location(path: error.path, line: error.line, column: error.column, into: &json)
      json.endObject()
    case let .ran(result):
      json.member("id", result.scenario.id)
      json.member("path", result.scenario.path)
      json.member("status", result.passed ? "passed" : "failed")
      json.member("passed", result.passed)
      json.member("profile", result.profile.version)
      json.member("expect", result.scenario.expect.rawValue)
      json.member("verdict", result.verdict.rawValue)
      json.member("problems", strings: result.problems)
      json.key("comparisons")
      comparisons(result.comparisons, into: &json)
      json.key("baseline")
      baseline(result, into: &json)
      for (name, program, source) in [("v1", result.v1, result.scenario.v1), ("v2", result.v2, result.scenario.v2)] {
        json.key(name)
        side(program, source: source, into: &json)
      }
    }
    json.endObject()
  }

  private static func baseline(_ result: ScenarioResult, into json: inout JSONWriter) {
    let check = result.baseline
    json.beginObject()
    json.member("status", Report.shortBaseline(check))
    json.member("detail", Report.baselineSummary(check, id: result.scenario.id, drift: result.drift))
    json.key("drift")
    if let drift = result.drift {
      json.beginObject()
      json.member("side", drift.side)
      json.member("output", drift.output)
      json.key("largest")
      worst(drift.largest, into: &json)
      json.endObject()
    } else {
      json.null()
    }
    json.key("differences")
    json.beginArray()
    for difference in check.differences {
      json.beginObject()
      json.member("side", difference.side)
      json.member("outcome", difference.outcome)
      json.key("comparisons")
      comparisons(difference.outputs, into: &json)
      json.endObject()
    }

    json.endArray()
    json.endObject()
  }

  private static func comparisons(_ comparisons: [OutputComparison], into json: inout JSONWriter) {
    json.beginArray()
    for comparison in comparisons {
      json.beginObject()
      json.member("name", comparison.name)
      json.member("matches", comparison.matches)
      json.member("failure", comparison.failure.map(failureKind))
      json.key("rtol")
      json.double(comparison.tolerance.rtol)
      json.key("atol")
      json.double(comparison.tolerance.atol)
      if let statistics = comparison.statistics {
        json.member("mismatches", statistics.mismatches)
        json.member("count", statistics.count)
        json.key("maxAbsolute")
        worst(statistics.maxAbsolute, into: &json)
        json.key("maxRelative")
        worst(statistics.maxRelative, into: &json)
        json.key("firstMismatch")
        if let first = statistics.firstFailure, case let .tensor(tensor)? = comparison.lhs {
          json.inlineArray(Comparator.unflatten(first, tensor.shape).map(String.init))
        } else {
          json.null()
        }
      }
      json.endObject()
    }
    json.endArray()
  }

  private static func failureKind(_ failure: OutputComparison.Failure) -> String {
    switch failure {
    case .missing: "missing"
    case .kind: "kind"
    case .dtype: "dtype"
    case .shape: "shape"
    case .values: "values"
    case .text: "text"
    }
  }

  private static func worst(_ worst: OutputComparison.Worst?, into json: inout JSONWriter) {
    guard let worst else { return json.null() }
    json.beginObject()
    json.key("difference")
    json.double(worst.difference)
    json.member("index", ints: worst.index)
    json.member("lhs", worst.lhs)
    json.member("rhs", worst.rhs)
    json.endObject()
  }

  private static func side(_ result: ProgramResult, source: SourceFile, into json: inout JSONWriter) {
    json.beginObject()
    switch result.outcome {
    case let .failed(error):
      json.key("error")
      json.beginObject()
      json.member("type", error.type)
      json.member("message", error.message)
      let (line, column) = fileLocation(of: error, path: source.path)
      location(path: source.path, line: line, column: column, into: &json)
      json.endObject()
    case let .completed(outputs):
      json.key("outputs")
      json.beginArray()
      for output in outputs { self.output(output, into: &json) }
      json.endArray()
    }
    json.member("printed", result.printed)
    json.key("defaults")
    json.beginArray()
    for call in result.defaultedCalls {
      let at = source.fileLocation(call.location)
      json.beginObject()
      json.member("api", call.api)
      json.member("line", at.line)
      json.member("column", at.column)
      json.member("location", "\(source.path):\(at.line):\(at.column)")
      json.member("arguments", strings: call.arguments)
      json.endObject()
    }
    json.endArray()
    json.endObject()
  }

  private static func output(_ output: NamedOutput, into json: inout JSONWriter) {
    json.beginObject()
    json.member("name", output.name)
    switch output.value {
    case let .text(text):
      json.member("dtype", "text")
      json.member("value", text)
    case let .tensor(tensor):
      json.member("dtype", tensor.dtype.name)
      json.member("shape", ints: tensor.shape)
      json.key("values")
      values(tensor, into: &json)
    }
    json.endObject()
  }

  /// The elements in row-major order on one line: numbers with the shortest digits that read
  /// back to the same value in the tensor's dtype, `true`/`false`, strings; non-finite floats
  /// as the strings `nan`, `inf` and `-inf`, which JSON cannot hold as numbers.
  private static func values(_ tensor: Tensor, into json: inout JSONWriter) {
    func floats<T: BinaryFloatingPoint & LosslessStringConvertible>(_ type: T.Type) where T: TensorElement {
      tensor.withUnsafeBufferPointer(as: T.self) { elements in
        json.inlineArray(count: elements.count) { index, out in
          let value = elements[index]
          if value.isFinite {
            var text = value.description
            text.withUTF8 { out.append(contentsOf: $0) }
          } else {
            JSONWriter.appendQuoted(value.isNaN ? "nan" : value < 0 ? "-inf" : "inf", to: &out)
          }
        }
      }
    }
    func spelled(_ texts: [String]) {
      json.inlineArray(count: texts.count) { index, out in out.append(contentsOf: texts[index].utf8) }
    }
    switch tensor.dtype {
    case .float16: floats(Float16.self)
    case .float32: floats(Float.self)
    case .float64: floats(Double.self)
    case .bool: spelled(tensor.int64s.map { $0 != 0 ? "true" : "false" })
    case .string:
      let texts = tensor.strings
      json.inlineArray(count: texts.count) { index, out in JSONWriter.appendQuoted(texts[index], to: &out) }
    case .bfloat16:
      spelled(
        tensor.doubles.map { $0.isFinite ? $0.description : $0.isNaN ? "\"nan\"" : $0 < 0 ? "\"-inf\"" : "\"inf\"" })
    default: spelled(tensor.int64s.map(String.init))
    }
  }

  private static func location(path: String, line: Int?, column: Int?, into json: inout JSONWriter) {
    json.key("line")
    if let line { json.int(line) } else { json.null() }
    json.key("column")
    if let column { json.int(column) } else { json.null() }
    json.member(
      "location", [path, line.map(String.init), column.map(String.init)].compactMap { $0 }.joined(separator: ":"))
  }

  /// The file line and column of a program error, read from its rendered first line
  /// (`path:line:col: error: …`); nil when the error has no place.
  static func fileLocation(of error: ProgramError, path: String) -> (Int?, Int?) {
    guard let first = error.rendered.split(separator: "\n").first, first.hasPrefix(path + ":") else {
      return (nil, nil)
    }
    let parts = first.dropFirst(path.count + 1).split(separator: ":", maxSplits: 2)
    guard parts.count == 3, let line = Int(parts[0]), let column = Int(parts[1]) else { return (nil, nil) }
    return (line, column)
  }
}
